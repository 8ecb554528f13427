"""The map (import.yaml): which column feeds which field, read strictly like every make-book file;
and, when there is none, a proposed one guessed from the column titles."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ebook.importing.sheets import Sheet
from ebook.problems import Problem, problem
from ebook.read.countries import fold
from ebook.read.fields import leaf_fields
from ebook.read.strict_yaml import Mapping, Node, Scalar, read_yaml
from ebook.read.submissions import STATUSES, SUBMISSION_FIELDS

TARGETS = tuple(name for name, _ in leaf_fields(SUBMISSION_FIELDS))  # in the contract's order
BOOL_TARGETS = ("consent", "author.anonymous")
DATE_ORDERS = ("DMY", "MDY", "YMD")


@dataclass(frozen=True)
class Column:
    title: str
    target: str
    line: int  # in the map


@dataclass(frozen=True)
class ImportMap:
    status: str
    theme: str | None
    date_order: str | None
    columns: tuple[Column, ...]
    values: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]  # field -> (answer, meaning)

    def answers(self, target: str) -> dict[str, bool]:
        return {fold(a): v for t, pairs in self.values if t == target for a, v in pairs}


def read_map(path: Path, shown: str) -> tuple[ImportMap | None, list[Problem]]:
    mapping, problems = read_yaml(path, shown)
    if mapping is None:
        return None, problems

    def report(node: Node, message: str) -> None:
        problems.append(problem(shown, node.line, node.column, "I002", message))

    known = ("status", "theme", "date_order", "columns", "values")
    status, theme, date_order = "pending", None, None
    columns: list[Column] = []
    values: list[tuple[str, tuple[tuple[str, bool], ...]]] = []
    for key, node in mapping.items:
        if key.value not in known:
            close = difflib.get_close_matches(key.value, known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else f"; the map has {', '.join(known)}"
            report(key, f'unknown field "{key.value}" in the map{hint}')
        elif key.value in ("status", "theme", "date_order"):
            if not isinstance(node, Scalar) or node.is_null:
                report(node, f'"{key.value}" must be a text')
                continue
            if key.value == "status":
                if node.value not in STATUSES:
                    report(node, f'"status" must be one of {", ".join(STATUSES)}, got "{node.value}"')
                status = node.value
            elif key.value == "theme":
                theme = node.value.strip()
            else:
                if node.value.upper() not in DATE_ORDERS:
                    report(node, f'"date_order" must be DMY, MDY or YMD, got "{node.value}"')
                date_order = node.value.upper()
        elif key.value == "columns":
            if not isinstance(node, Mapping):
                report(node, '"columns" must list "column title": field lines')
                continue
            for title, target in node.items:
                if isinstance(target, Scalar) and target.is_null:
                    continue  # a column listed without a field is not imported
                if not isinstance(target, Scalar) or target.value not in TARGETS:
                    got = target.value if isinstance(target, Scalar) else "a list"
                    close = difflib.get_close_matches(got, TARGETS, n=1)
                    hint = f' (did you mean "{close[0]}"?)' if close else f"; the fields are {', '.join(TARGETS)}"
                    problems.append(
                        problem(
                            shown,
                            target.line,
                            target.column,
                            "I003",
                            f'"{title.value}" feeds an unknown field "{got}"{hint}',
                        )
                    )
                    continue
                columns.append(Column(" ".join(title.value.split()), target.value, title.line))
        else:
            if not isinstance(node, Mapping):
                report(node, '"values" must list, for a field, what each answer means')
                continue
            for target, answers in node.items:
                if target.value not in BOOL_TARGETS:
                    report(
                        target, f'"values" is for the true/false fields {", ".join(BOOL_TARGETS)}, not "{target.value}"'
                    )
                    continue
                if not isinstance(answers, Mapping):
                    report(answers, f'"values" of "{target.value}" must list answers with true or false')
                    continue
                pairs = []
                for answer, meaning in answers.items:
                    if not isinstance(meaning, Scalar) or meaning.value not in ("true", "false"):
                        report(answer, f'the answer "{answer.value}" must mean true or false')
                        continue
                    pairs.append((answer.value, meaning.value == "true"))
                values.append((target.value, tuple(pairs)))
    if "columns" not in [k.value for k, _ in mapping.items]:
        problems.append(problem(shown, mapping.line, mapping.column, "I002", 'the map has no "columns"'))
    if problems:
        return None, problems
    return ImportMap(status, theme, date_order, tuple(columns), tuple(values)), []


def missing_columns(import_map: ImportMap, sheet: Sheet, shown_map: str) -> list[Problem]:
    found = []
    titles = {c for c in sheet.columns if c}
    for column in import_map.columns:
        if column.title not in titles:
            close = difflib.get_close_matches(column.title, list(titles), n=1, cutoff=0.5)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            found.append(problem(shown_map, column.line, 0, "I004", f'the export has no column "{column.title}"{hint}'))
    return found


# Words in column titles (several languages of the forms people run) -> the field they ask for.
_GUESSES = (
    (r"timestamp|horodateur|zeitstempel|marca temporal|submitted|date", "submitted"),
    (r"e-?mail|courriel|phone|telephone", ""),
    (r"anonym|credit you|publish my name|your name (be )?(shown|published)", "author.anonymous"),
    (r"consent|agree|accept|permission|autoris|einverstanden", "consent"),
    (
        r"(photo|picture|image|bild|foto).*(descri|alt)|(descri|alt).*(photo|picture|image|bild|foto)|alt text",
        "photos.alt",
    ),
    (r"(photo|picture|image).*credit|credit|copyright", "photos.credit"),
    (r"caption|l[eé]gende", "photos.caption"),
    (r"photo|picture|image|bild|foto", "photos.file"),
    (r"sort", "author.sort_name"),
    (r"\brole\b|\bjob\b|position|profession|occupation|metier|beruf|cargo|funcion", "author.role"),
    (
        r"hospital|institution|affiliation|organi[sz]ation|employer|workplace|hopital|klinik|krankenhaus",
        "author.affiliation",
    ),
    (r"\bname\b|\bnom\b|nombre|vorname|nachname|author|auteur|autor", "author.name"),
    (r"country|pays|land|pa[ií]s|nation", "author.country"),
    (r"title|titre|titel|t[ií]tulo", "title"),
    (r"language|langue|sprache|idioma|lingua", "language"),
    (r"theme|topic|th[eè]me|thema|tema|section", "theme"),
    (r"testimon|story|your text|experience|t[eé]moignage|bericht|texte|text|document|upload", "body"),
)


def guess(title: str) -> str:
    folded = fold(title)
    for pattern, target in _GUESSES:
        if re.search(pattern, folded):
            return target
    return ""


def _quoted(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", out) + '"'


def propose(sheet: Sheet, export_name: str) -> str:
    """The text of a proposed import.yaml: every column with its guessed field and a sample answer."""
    lines = [
        f"# make-book import map, proposed from {export_name.replace(chr(10), ' ')} ({len(sheet.columns)} columns).",
        "# Check each line: the field after each column title is a guess. Remove a field (leave",
        "# nothing after the colon) to skip a column. Then run make-book import again.",
        "status: pending        # given to every imported entry",
        "# theme: front-line    # one theme for every entry, unless a column gives it",
        "# date_order: DMY      # how dates like 03/11/2020 are written: DMY, MDY or YMD",
        "columns:",
    ]
    used: set[str] = set()
    bools: dict[str, list[str]] = {}
    for i, title in enumerate(sheet.columns):
        if not title:
            continue
        target = guess(title)
        if target in used and target not in ("body",):
            target = ""
        samples = [r.cells[i].strip() for r in sheet.rows if r.cells[i].strip()]
        sample = " ".join(samples[0].split())[:60] if samples else ""
        if target:
            used.add(target)
        if target in BOOL_TARGETS:
            bools[target] = sorted(set(samples))[:10]
        comment = f"# e.g. {_quoted(sample)}" if sample else "# no answers"
        field = target if target else ""
        note = "" if target else "not imported; "
        lines.append(f"  {_quoted(title)}: {field}".ljust(50) + f"  # {note}{comment[2:]}")
    if bools:
        lines.append("values:                 # what each answer of a true/false question means")
        for target, answers in bools.items():
            lines.append(f"  {target}:")
            for answer in answers:
                meaning = _meaning(target, answer)
                lines.append(f"    {_quoted(answer)}: {meaning}")
    return "\n".join(lines) + "\n"


def _meaning(target: str, answer: str) -> str:
    folded = fold(answer)
    if target == "author.anonymous":
        return "true" if re.search(r"anonym|initials|no name|without", folded) else "false"
    no = re.search(r"^(no|non|nein|nee|nao)\b|do not|don t|disagree|refuse", folded)
    return "false" if no else "true"
