"""Find and read every submission under submissions/, collecting every problem."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ebook.model import Author, BookConfig, Entry, Photo
from ebook.problems import Problem, has_errors, problem
from ebook.read.config import shown_path
from ebook.read.countries import Names
from ebook.read.fields import Field, FieldReader, country_name, text_direction
from ebook.read.picture_files import check_image_path
from ebook.read.strict_yaml import read_yaml

STATUSES = ("approved", "pending", "rejected", "withdrawn")

SUBMISSION_FIELDS = (
    Field("status", "text", True),
    Field("theme", "text", True),
    Field("title", "text", True, strict_bidi=True),
    Field("language", "language"),
    Field(
        "author",
        "map",
        True,
        fields=(
            Field("name", "text", True, strict_bidi=True),
            Field("sort_name", "text", strict_bidi=True),
            Field("role", "text", True, strict_bidi=True),
            Field("affiliation", "text", strict_bidi=True),
            Field("country", "country", True),
            Field("anonymous", "bool"),
        ),
    ),
    Field("consent", "bool", True),
    Field("order", "int"),
    Field("submitted", "date"),
    Field("body", "markdown", True),
    Field(
        "photos",
        "maps",
        fields=(
            Field("file", "text", True),
            Field("alt", "text", True),
            Field("caption", "text"),
            Field("credit", "text"),
        ),
    ),
)

# Problems that make a file unusable whatever its status: nobody can tell whether it belongs in the book.
_ALWAYS_ERRORS = ("Y", "S001", "S004")


@dataclass(frozen=True)
class Submissions:
    entries: tuple[Entry, ...]  # the wanted statuses' entries (approved only by default), in file order
    problems: tuple[Problem, ...]


def find_submission_files(folder: Path) -> list[Path]:
    """Every *.yaml / *.yml below folder, skipping hidden files and folders (editor lock files, .git)."""
    found = []
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        # os.walk does not follow linked folders; they are listed so that the editor hears of them.
        found += [Path(directory) / d for d in subdirs if (Path(directory) / d).is_symlink()]
        found += [Path(directory) / f for f in sorted(files) if f.endswith((".yaml", ".yml")) and not f.startswith(".")]
    return found


def read_submission(
    path: Path, root: Path, config: BookConfig, shown: str, wanted: frozenset[str], names: Names | None = None
) -> tuple[Entry | None, str, list[Problem]]:
    """One submission file: its entry when its status is wanted and it has no problem, its status,
    and its problems (warnings for a status not wanted, but for those that are always errors)."""
    if path.is_symlink():
        what = "folder is a symbolic link; its files are not read" if path.is_dir() else "file is a symbolic link"
        return None, "", [problem(shown, 0, 0, "Y014", f"the {what}; submissions must be real files and folders")]
    if not path.is_file():  # a pipe or a device would block the read forever
        return None, "", [problem(shown, 0, 0, "Y013", "the file cannot be read: it is not a regular file")]
    mapping, problems = read_yaml(path, shown)
    if mapping is None:
        return None, "", problems
    reader = FieldReader(shown, names)
    fields = reader.read(mapping, SUBMISSION_FIELDS)
    problems = list(reader.problems)
    v = fields.values
    status_node = mapping.get("status")
    status = v.get("status", "")
    if status_node is not None and "status" in v and status not in STATUSES:
        problems.append(
            problem(
                shown,
                status_node.line,
                status_node.column,
                "S001",
                f'"status" must be one of {", ".join(STATUSES)}, got "{status}"'
                + (f" (did you mean {status.strip().lower()}?)" if status.strip().lower() in STATUSES else ""),
            )
        )
    if "status" not in v:
        problems = [
            p
            if p.code != "F001" or '"status"' not in p.message
            else problem(p.path, p.line, p.column, "S001", 'the required field "status" is missing')
            for p in problems
        ]

    themes = {t.id for t in config.themes}
    if "theme" in v and v["theme"] not in themes:
        by_title = {t.title.casefold(): t.id for t in config.themes}
        hint = (
            f"; that is the title of the theme whose id is {by_title[v['theme'].casefold()]}"
            if v["theme"].casefold() in by_title
            else f"; book.yaml has {', '.join(sorted(themes))}"
        )
        problems.append(problem(shown, *fields.where["theme"], "S002", f'unknown theme "{v["theme"]}"{hint}'))
    if v.get("consent") is False:
        problems.append(
            problem(
                shown,
                *fields.where["consent"],
                "S003",
                "consent is false: an entry can be approved only with the author's consent",
            )
        )

    photos: list[Photo] = []
    for group in v.get("photos", ()):
        pv = group.values
        if "file" not in pv:
            continue
        line, column = group.where["file"]
        image, photo_problems = check_image_path(pv["file"], path.parent, root, shown, line, column, "photo")
        problems += photo_problems
        if image is not None and "alt" in pv:
            photos.append(
                Photo(
                    image.source,
                    pv["alt"],
                    pv.get("caption"),
                    pv.get("credit"),
                    image.width,
                    image.height,
                    line,
                    column,
                )
            )

    if status not in wanted:
        return None, status, [p if p.code.startswith(_ALWAYS_ERRORS) else p.as_warning() for p in problems]
    if problems:
        return None, status, problems
    a = v["author"].values
    language = v.get("language", config.language)
    author = Author(
        name=a["name"],
        sort_name=a.get("sort_name", a["name"]),
        role=a["role"],
        affiliation=a.get("affiliation"),
        country=a["country"],
        country_name=country_name(a["country"]) or a["country"],
        anonymous=a.get("anonymous", False),
    )
    return (
        Entry(
            id=path.stem,
            shown_path=shown,
            status=status,
            theme=v["theme"],
            title=v["title"],
            language=language,
            direction=text_direction(language),
            author=author,
            order=v.get("order"),
            submitted=v.get("submitted"),
            body=v["body"],
            photos=tuple(photos),
        ),
        status,
        problems,
    )


def load_submissions(
    config: BookConfig, wanted: frozenset[str] = frozenset({"approved"}), names: Names | None = None
) -> Submissions:
    """The entries whose status is wanted (the book: approved only; a preview or a proof: pending
    too), held to the rules of an approved entry; the others' problems are warnings."""
    root = config.folder / "submissions"
    problems: list[Problem] = []
    entries: list[Entry] = []
    by_id: dict[str, list[str]] = defaultdict(list)
    files = find_submission_files(root) if root.is_dir() else []
    names = names or Names()  # for hints: its index is made only if a hint is asked for
    for path in files:
        shown = shown_path(config.shown_folder, path.relative_to(config.folder))
        if not path.is_dir():
            by_id[path.stem].append(shown)
        entry, _, file_problems = read_submission(path, root, config, shown, wanted, names)
        problems += file_problems
        if entry is not None:
            entries.append(entry)
    for ident, shown_paths in by_id.items():
        if len(shown_paths) > 1:
            for shown in shown_paths:
                others = ", ".join(s for s in shown_paths if s != shown)
                problems.append(
                    problem(shown, 0, 0, "S004", f'the id "{ident}" is also used by {others}; rename one of the files')
                )
    duplicated = {i for i, s in by_id.items() if len(s) > 1}
    entries = [e for e in entries if e.id not in duplicated]
    if not files:
        problems.append(
            problem(
                shown_path(config.shown_folder, "submissions"),
                0,
                0,
                "S006",
                "no submission files found (*.yaml under submissions/)",
            )
        )
    elif not entries and not has_errors(problems):
        problems.append(
            problem(
                shown_path(config.shown_folder, "submissions"),
                0,
                0,
                "S006",
                "no approved entry: the book would be empty",
            )
        )
    return Submissions(tuple(entries), tuple(problems))
