"""A WeasyPrint finisher: the PDF objects pydyf holds, edited before they are written. The hook is
WeasyPrint's public API (`finisher=`), but what it edits is pydyf's objects and the shape of
WeasyPrint's tags (a dictionary with "S": "/Art" and "Pg" for each article), which an upgrade may
change (tests/test_internals_canary.py names them). No upstream issue yet: to file on
Kozea/WeasyPrint, "page labels and per-element languages in tagged PDFs"."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from ebook.pdf.number_styles import NumberStyles


def page_labels_and_languages(
    front_pages: int | None, styles: NumberStyles, languages: dict[int, str], main: str
) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher for two things it does not write: page labels that match the printed
    numbers (in the styles of the book's CSS, number_styles.py), and the language of each entry on
    its article tags, for screen readers. It edits the PDF objects before they are serialised, so it costs nothing."""
    import pydyf

    starts = sorted(languages)

    def language_of(page: int) -> str:
        """The language of the entry a page belongs to: the last one to start on or before it."""
        index = bisect.bisect_right(starts, page)
        return languages[starts[index - 1]] if index else main

    def finish(document: Any, pdf: Any) -> None:
        if front_pages is not None:
            front, body = styles.pdf_names()
            ranges = [0, pydyf.Dictionary({"S": front})] if front_pages else []
            ranges += [front_pages, pydyf.Dictionary({"S": body, "St": 1})]
            pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})
        page_of = {reference: index for index, reference in enumerate(pdf.page_references)}
        for item in pdf.objects:
            if isinstance(item, dict) and item.get("S") == "/Art" and "Pg" in item:
                language = language_of(page_of.get(item["Pg"], -1))
                if language != main:
                    item["Lang"] = pydyf.String(language)

    return finish
