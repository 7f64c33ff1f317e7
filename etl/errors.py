"""Errors a user can act on: which file, what is wrong, what to do."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input from the user. The CLI prints `message` on one line and exits 2."""

    def __init__(self, path: Path | str, problem: str, action: str):
        self.path = str(path)
        self.problem = problem
        self.action = action
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.problem}. {self.action[:1].upper()}{self.action[1:]}."
