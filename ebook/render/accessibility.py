"""The accessibility claims of both editions and the download page, derived from the book itself
(schema.org's accessibility vocabulary, as EPUB Accessibility 1.1 asks)."""

from __future__ import annotations

from collections.abc import Mapping

from ebook.render.views import RenderedBook


def accessibility_metadata(rendered: RenderedBook, page_list: bool, labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """Claims derived from the book itself: alternativeText only when every picture has alt text,
    page navigation only when the EPUB carries the PDF's page list. The summary is in the book's
    words (labels.yaml)."""
    photos = [p for v in rendered.entries for p in v.photos]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if all(p.alt.strip() for p in photos):
        features.append("alternativeText")
    if page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    modes = ["textual", "visual"] if photos else ["textual"]
    sentences = ["accessibility_summary"]
    sentences += ["accessibility_summary_photos"] if photos else []
    sentences += ["accessibility_summary_pages"] if page_list else []
    summary = " ".join(labels[name] for name in [*sentences, "accessibility_summary_reading"])
    return (
        [("schema:accessMode", m) for m in modes]
        + [("schema:accessModeSufficient", "textual")]
        + [("schema:accessibilityFeature", f) for f in features]
        + [
            ("schema:accessibilityHazard", "none"),
            ("schema:accessibilitySummary", summary),
            ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"),
        ]
    )
