"""Column operations the checks are built of: blanks, text normalisation, Python once per distinct value.

A check reads a column of cell texts (polars String, null for an empty cell). Where a value's
result follows from its form, an expression computes it for the whole column ("046085000123"
is a valid ID as written). Every other value goes through the same Python function as a
single cell would (``cbccvc.validation.values``, the catalogs), once per distinct value, and
the results are spread back over the rows. Findings are built for the failing rows only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from cbccvc.intake.table import Column


def matches(values: pl.Series, pattern: str) -> pl.Series:
    """True where a cell matches ``pattern``, False for an empty cell.

    The patterns the checks use accept only values that ``values.normalise_text`` leaves as
    they are: no space to collapse, no typographic character, nothing NFC would change.
    """
    return values.str.contains(pattern).fill_null(False)


def cell_value(column: Column, index: int) -> Any:
    """Return a cell as the Python value a single-cell parser takes: a number for a number cell, else text."""
    text = column.values[index]
    if index in column.numbers and text is not None:
        number = float(text)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return text


@dataclass(slots=True)
class Outcome:
    """The result of a Python function for one distinct value: output values and findings (code, params)."""

    values: tuple[Any, ...]
    findings: tuple[tuple[str, dict[str, Any]], ...] = ()


@dataclass(slots=True)
class Applied:
    """Per-row results of ``apply_distinct``: one Series per output, and the rows with findings."""

    outputs: list[pl.Series]
    findings: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)


def apply_distinct(column: Column, rows: pl.Series | None, function: Callable[[Any], Outcome],
                   dtypes: Sequence[pl.DataType | type[pl.DataType]]) -> Applied:
    """Apply ``function`` once per distinct cell of the selected rows and spread the outcomes back.

    ``rows`` selects the rows (all when None); other rows get null outputs and no finding. A
    number cell is passed as a number, so it is keyed apart from the same digits as text.
    """
    values = column.values
    size = len(values)
    selected = rows if rows is not None else pl.repeat(True, size, eager=True)
    numbers = sorted(index for index in column.numbers if selected[index]) if column.numbers else []
    if numbers:
        selected = selected.scatter(numbers, False)
    texts = values.filter(selected).unique()
    outcomes = [function(text) for text in texts.to_list()]
    positions = slots_of(values, texts).zip_with(selected, pl.repeat(None, size, dtype=pl.UInt32, eager=True))
    outputs = [pl.Series([outcome.values[slot] for outcome in outcomes], dtype=dtype).gather(positions)
               if outcomes else pl.repeat(None, size, dtype=dtype, eager=True)
               for slot, dtype in enumerate(dtypes)]
    findings: list[tuple[int, str, dict[str, Any]]] = []
    with_findings = [slot for slot, outcome in enumerate(outcomes) if outcome.findings]
    if with_findings:
        for index, slot in zip(*_rows_in(positions, with_findings), strict=True):
            findings.extend((index, code, params) for code, params in outcomes[slot].findings)
    if numbers:
        _apply_numbers(column, numbers, function, outputs, findings)
    return Applied(outputs, findings)


def slots_of(values: pl.Series, keys: pl.Series) -> pl.Series:
    """Return, for each value, its position in ``keys`` (distinct values), null where absent."""
    table = pl.DataFrame({"key": keys, "slot": pl.Series(range(len(keys)), dtype=pl.UInt32)})
    joined = values.to_frame("key").join(table, on="key", how="left", maintain_order="left")
    return joined["slot"]


def _rows_in(positions: pl.Series, slots: list[int]) -> tuple[list[int], list[int]]:
    hit = positions.is_in(slots).fill_null(False)
    indexes = hit.arg_true()
    return indexes.to_list(), positions.gather(indexes).to_list()


def _apply_numbers(column: Column, numbers: list[int], function: Callable[[Any], Outcome],
                   outputs: list[pl.Series], findings: list[tuple[int, str, dict[str, Any]]]) -> None:
    cache: dict[Any, Outcome] = {}
    per_output: list[list[Any]] = [[] for _ in outputs]
    for index in numbers:
        value = cell_value(column, index)
        outcome = cache.get(value)
        if outcome is None:
            outcome = cache[value] = function(value)
        for slot, result in enumerate(outcome.values):
            per_output[slot].append(result)
        findings.extend((index, code, params) for code, params in outcome.findings)
    for slot, series in enumerate(outputs):
        outputs[slot] = series.scatter(numbers, pl.Series(per_output[slot], dtype=series.dtype))


def format_dates(values: Sequence[date]) -> list[str]:
    return [value.strftime("%d/%m/%Y") for value in values]
