"""The catalog entry type shared by every stage's message module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Message:
    """One user-facing text in Vietnamese (what agencies read) and English."""

    vi: str
    en: str
