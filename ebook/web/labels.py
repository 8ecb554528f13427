"""The web edition's words: layouts/web/labels.yaml, the book's own first (layouts/web/ in its folder)."""

from __future__ import annotations

import os

from ebook.problems import Problem
from ebook.read.fields import Field, FieldReader
from ebook.read.strict_yaml import read_yaml
from ebook.templates.folders import BUILT_IN
from ebook.templates.load import Layouts

WEB_LABELS = (
    "search",
    "search_hint",
    "search_results",
    "search_none",
    "pages_one",
    "pages_many",
    "previous",
    "next",
    "cite",
    "in_book",
    "pending",
    "problems",
    "read_online",
    "back_to_download",
    "themes",
    "photo",
)


def web_labels(layouts: Layouts) -> tuple[dict[str, str], list[Problem]]:
    """The book's labels and the web edition's, a book's own file overriding any of the built-in ones."""
    labels = dict(layouts.labels)
    for folder in reversed(layouts.folders):  # the built-in ones first
        path = folder / "web" / "labels.yaml"
        if not path.is_file():
            continue
        shown = (
            str(path)
            if folder == BUILT_IN
            else os.path.normpath(os.path.join(layouts.shown_folder, "layouts/web/labels.yaml"))
        )
        mapping, problems = read_yaml(path, shown)
        if mapping is None:
            return labels, problems
        reader = FieldReader(shown)
        fields = reader.read(mapping, tuple(Field(name, "text", folder == BUILT_IN) for name in WEB_LABELS))
        if reader.problems:
            return labels, reader.problems
        labels.update(fields.values)
    return labels, []
