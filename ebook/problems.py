"""The one problem type: every check in make-book reports through it, nothing raises to the user.

Codes are stable; README.md lists them all in one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        place = self.path
        if self.line:
            place += f":{self.line}"
            if self.column:
                place += f":{self.column}"
        kind = "warning: " if self.severity is Severity.WARNING else ""
        return f"{place}: {kind}{self.code} {self.message}"

    def as_warning(self) -> Problem:
        return Problem(self.path, self.line, self.column, self.code, self.message, Severity.WARNING)


def problem(path: str | PurePath, line: int, column: int, code: str, message: str) -> Problem:
    return Problem(str(path), line, column, code, message)


def has_errors(problems: tuple[Problem, ...] | list[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def sort_key(p: Problem) -> tuple[str, int, int, str, str]:
    return (p.path, p.line, p.column, p.code, p.message)


def summary(problems: tuple[Problem, ...] | list[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) if parts else "no problems"
