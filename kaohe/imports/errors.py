"""Import errors name the line, the column, the value and why; all are collected before refusing."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header line, as a spreadsheet shows it
    column: str
    value: str
    code: str  # stable, for the API and tests: "unknown_unit", "not_a_number", …
    message: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 40 else self.value[:37] + "…"
        return _("line %(line)s, column %(column)s, value %(value)s: %(message)s") % {
            "line": self.line, "column": self.column or "-", "value": repr(value), "message": self.message}

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value, "code": self.code,
                "message": self.message}


class ImportRejected(Exception):
    """Nothing was imported; ``errors`` says every reason."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s); nothing imported")
