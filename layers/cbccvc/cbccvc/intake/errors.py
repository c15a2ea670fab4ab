"""The exception a reader raises when a whole file cannot be turned into tables."""

from __future__ import annotations

from typing import Any


class UnreadableFileError(ValueError):
    """The file cannot be turned into tables; ``code`` is a finding code of the catalog."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
