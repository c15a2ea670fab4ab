"""Text folding shared by the catalog lookups.

Agency exports spell the same catalog value in many ways ("Khơ-me", "KHƠ ME", "Khơ me"), so
every lookup compares folded keys rather than raw text.
"""

from __future__ import annotations

import unicodedata

# Hyphens, dashes and apostrophes that exports use inside names such as "H'Mông" or "Bru-Vân Kiều".
_DROPPED_CHARACTERS = str.maketrans("", "", "-‐‑‒–—'’‘ʼ`´")


def fold(text: str) -> str:
    """Fold text for catalog matching: no diacritics, lower case, single spaces, no hyphens or apostrophes.

    "KHƠ ME" and "khơ me" fold to "kho me", while "Khơ-Me" folds to "khome" because hyphens are
    dropped; use ``fold_compact`` where spacing must not matter either. The letter đ has no
    Unicode decomposition, so it is mapped to d by hand.
    """
    composed = unicodedata.normalize("NFC", text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", composed)
    without_marks = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    without_punctuation = without_marks.translate(_DROPPED_CHARACTERS)
    return " ".join(without_punctuation.lower().split())


def fold_compact(text: str) -> str:
    """Fold text like ``fold`` and also remove every space ("Ê Đê", "Ê-đê" and "Êđê" give "ede")."""
    return fold(text).replace(" ", "")
