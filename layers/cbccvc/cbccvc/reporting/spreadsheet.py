"""Safe cell text for every XLSX and CSV the product writes.

Text that starts with =, +, -, @, a tab or a carriage return is read as a formula by Excel
and LibreOffice (CSV injection, OWASP). Such text gets a leading apostrophe, so it shows as
typed and never runs.
"""

from __future__ import annotations

from typing import Any

import polars as pl

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Return ``value`` unchanged unless it is text a spreadsheet would treat as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralised(values: pl.Expr) -> pl.Expr:
    """Neutralise text over a column, as ``neutralise`` does for one value."""
    return pl.when(values.str.contains(r"^[=+\-@\t\r]")).then(pl.concat_str([pl.lit("'"), values])).otherwise(values)
