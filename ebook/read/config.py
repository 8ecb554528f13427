"""Read book.yaml into a BookConfig, with every problem it has."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from ebook.model import BookConfig, Theme
from ebook.problems import Problem, problem
from ebook.read.fields import Field, FieldReader, text_direction
from ebook.read.picture_files import check_image_path
from ebook.read.strict_yaml import read_yaml

BOOK_FIELDS = (
    Field("title", "text", True, strict_bidi=True),
    Field("subtitle", "text", strict_bidi=True),
    Field("publisher", "text", True),
    Field("editors", "texts", strict_bidi=True),
    Field("language", "language", True),
    Field("identifier", "text", True),
    Field("date", "date", True),
    Field("license", "text", True),
    Field("description", "text"),
    Field("cover", "text"),
    Field("foreword", "markdown"),
    Field("acknowledgements", "markdown"),
    Field("typography", "text"),
    Field(
        "themes",
        "maps",
        True,
        fields=(
            Field("id", "text", True),
            Field("title", "text", True, strict_bidi=True),
            Field("intro", "markdown"),
        ),
    ),
)


def shown_path(shown_folder: str, relative: str | Path) -> str:
    """The path of a book file as the editor would type it from where make-book was run."""
    return os.path.normpath(os.path.join(shown_folder, relative))


def _isbn_ok(digits: str) -> bool:
    if len(digits) == 13 and digits.isdigit():
        return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] in "Xx"):
        values = [int(d) for d in digits[:9]] + [10 if digits[9] in "Xx" else int(digits[9])]
        return sum((10 - i) * v for i, v in enumerate(values)) % 11 == 0
    return False


def identifier_problem(identifier: str) -> str | None:
    if identifier.startswith("urn:uuid:"):
        try:
            uuid.UUID(identifier[len("urn:uuid:") :])
            return None
        except ValueError:
            return f'"identifier" has a malformed UUID: {identifier}'
    match = re.fullmatch(r"(?:urn:isbn:|isbn:)([0-9Xx -]+)", identifier)
    if match:
        return (
            None
            if _isbn_ok(re.sub(r"[ -]", "", match.group(1)))
            else f'"identifier" is not a valid ISBN (the check digit does not match): {identifier}'
        )
    return f'"identifier" must start with urn:uuid:, urn:isbn: or isbn:, got "{identifier}"'


def load_config(config_path: Path, shown: str) -> tuple[BookConfig | None, list[Problem]]:
    mapping, problems = read_yaml(config_path, shown)
    if mapping is None:
        return None, problems
    reader = FieldReader(shown)
    fields = reader.read(mapping, BOOK_FIELDS)
    problems = reader.problems
    v = fields.values
    folder = config_path.parent
    shown_folder = os.path.dirname(shown)

    def at(name: str) -> tuple[int, int]:
        return fields.where.get(name, (mapping.line, mapping.column))

    if "identifier" in v and (message := identifier_problem(v["identifier"])):
        problems.append(problem(shown, *at("identifier"), "B001", message))

    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for group in v.get("themes", ()):
        tv = group.values
        if "id" not in tv or "title" not in tv:
            continue
        line, column = group.where["id"]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", tv["id"]):
            problems.append(
                problem(shown, line, column, "B002", f'theme id "{tv["id"]}" may use only letters, digits, - and _')
            )
        elif tv["id"] in seen:
            problems.append(
                problem(
                    shown,
                    line,
                    column,
                    "B003",
                    f'the theme id "{tv["id"]}" is used twice (first on line {seen[tv["id"]]})',
                )
            )
        else:
            seen[tv["id"]] = line
            themes.append(Theme(tv["id"], tv["title"], tv.get("intro"), line))
    if "themes" in v and not v["themes"]:
        problems.append(problem(shown, *at("themes"), "F004", '"themes" is empty'))

    if v.get("typography", "smart") not in ("smart", "plain"):
        message = f'"typography" must be smart or plain, got "{v["typography"]}"'
        problems.append(problem(shown, *at("typography"), "T003", message))

    cover = None
    if "cover" in v:
        cover, cover_problems = check_image_path(v["cover"], folder, folder, shown, *at("cover"), "cover")
        problems += cover_problems

    if problems or any(k not in v for k in ("title", "publisher", "language", "identifier", "date", "license")):
        return None, problems
    return BookConfig(
        folder=folder,
        shown_folder=shown_folder,
        title=v["title"],
        subtitle=v.get("subtitle"),
        publisher=v["publisher"],
        editors=v.get("editors", ()),
        language=v["language"],
        direction=text_direction(v["language"]),
        identifier=v["identifier"],
        date=v["date"],
        license=v["license"],
        description=v.get("description"),
        cover=cover.source if cover else None,
        foreword=v.get("foreword"),
        acknowledgements=v.get("acknowledgements"),
        themes=tuple(themes),
        typography=v.get("typography", "smart"),
    ), problems
