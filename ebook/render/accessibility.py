"""The accessibility claims of both editions and the download page, derived from the book itself
(schema.org's accessibility vocabulary, as EPUB Accessibility 1.1 asks)."""

from __future__ import annotations

from ebook.render.views import RenderedBook


def accessibility_metadata(rendered: RenderedBook, page_list: bool) -> list[tuple[str, str]]:
    """Claims derived from the book itself: alternativeText only when every picture has alt text,
    page navigation only when the EPUB carries the PDF's page list."""
    photos = [p for v in rendered.entries for p in v.photos]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if all(p.alt.strip() for p in photos):
        features.append("alternativeText")
    if page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    modes = ["textual", "visual"] if photos else ["textual"]
    summary = (
        "This publication has a table of contents, structured headings and a logical reading order. "
        + ("Every photograph has a text description. " if photos else "")
        + ("Page numbers match the PDF edition. " if page_list else "")
        + "Text can be resized and reflowed. It contains no known hazards."
    )
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
