"""Errors a user can act on: which file, what is wrong, what to do."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input from the user. The CLI prints `message` on one line and exits 2. `code`
    (with `fields`) names the kind of problem, so that a front end can say it in the user's
    language (views/i18n.py `input_<code>`) rather than show the English line."""

    def __init__(
        self, path: Path | str, problem: str, action: str, code: str | None = None, **fields
    ):
        self.path = str(path)
        self.problem = problem
        self.action = action
        self.code = code
        self.fields = fields
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line: the file, its problem, what to do (`path: problem. Action.`)."""
        return f"{self.path}: {self.problem}. {_capital(self.action)}."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def office_programs(path: Path | str) -> str:
    """The programs that open and save a file of this kind again: "word" (Word or WPS) for a
    .docx, "excel" (Excel or WPS) for a workbook; views/i18n.py words them."""
    return "word" if str(path).lower().endswith(".docx") else "excel"


# How the English line names them.
PROGRAMS_EN = {"word": "Word or WPS", "excel": "Excel or WPS"}
