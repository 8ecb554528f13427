"""The templates and stylesheets: the book folder's own layouts/ first, file by file, then the built-in ones."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ebook.problems import Problem
from ebook.read.fields import Field, FieldReader
from ebook.read.strict_yaml import read_yaml
from ebook.templates.folders import BUILT_IN, layout_folders

LABELS = (
    "part",
    "contents",
    "foreword",
    "acknowledgements",
    "contributors",
    "title_page",
    "colophon",
    "edited_by",
    "published_by",
    "licence",
    "identifier",
    "contributions",
    "cover",
    "start",
    "download_epub",
    "download_pdf",
    "downloads",
    "accessibility",
    "accessibility_summary",
    "accessibility_summary_photos",
    "accessibility_summary_pages",
    "accessibility_summary_reading",
    "proof",
    "proof_entry",
    "proof_status",
    "proof_date",
    "proof_check",
)


@dataclass(frozen=True)
class Layouts:
    folders: tuple[Path, ...]
    env: jinja2.Environment
    labels: dict[str, str]
    shown_folder: str = ""

    def find(self, name: str) -> Path:
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        raise FileNotFoundError(name)

    def shown(self, name: str) -> str:
        """Where a layout file is, for messages: the book's own as typed, a built-in one in full."""
        path = self.find(name)
        if path.parent == BUILT_IN:
            return str(path)
        return os.path.normpath(os.path.join(self.shown_folder, "layouts", name))

    def text(self, name: str) -> str:
        return self.find(name).read_text("utf-8")


def load_layouts(book_folder: Path, shown_folder: str) -> tuple[Layouts | None, list[Problem]]:
    own = book_folder / "layouts"
    folders = layout_folders(book_folder)
    env = jinja2.Environment(
        # "builtin/entry.html" is always the built-in file, so that a book's own entry.html can extend
        # it and replace one block instead of copying the whole file.
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(BUILT_IN))}),
                jinja2.FileSystemLoader([str(f) for f in folders]),
            ]
        ),
        autoescape=jinja2.select_autoescape(["html", "xhtml", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    # The built-in labels are all there; a book's own labels.yaml may change any of them.
    labels: dict[str, str] = {}
    sources = [(BUILT_IN, True)]
    if own.resolve() != BUILT_IN.resolve() and (own / "labels.yaml").is_file():
        sources.append((own, False))
    for folder, required in sources:
        path = folder / "labels.yaml"
        shown = os.path.normpath(os.path.join(shown_folder, "layouts", "labels.yaml")) if folder == own else str(path)
        mapping, problems = read_yaml(path, shown)
        if mapping is None:
            return None, problems
        reader = FieldReader(shown)
        fields = reader.read(mapping, tuple(Field(name, "text", required) for name in LABELS))
        if reader.problems:
            return None, reader.problems
        labels.update(fields.values)
    return Layouts(folders, env, labels, shown_folder), []
