"""What one distinct cell value gives, for the checks that run Python once per distinct value.

Each function takes a cell (its text, or a number for a number cell), calls the single-cell
parser or catalog lookup and returns an ``Outcome``: the normalised values the record keeps
and the findings of every row holding that value. The engine spreads them over the rows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from cbccvc.catalogs import admin_units, ethnicity, ranks, religions
from cbccvc.validation import values as parse
from cbccvc.validation.columns import Outcome

# A catalog entry picked from the template's dropdown: "00004 – Phường Ba Đình", "01.003 - Chuyên viên".
_CODE_WITH_NAME = re.compile(r"^\s*(\S+)\s+[-–—]\s+\S.*$")
RANK_SHAPE = re.compile(f"{ranks.RANK_CODE_SHAPE}|{ranks.TITLE_CODE_SHAPE}")


def code_part(text: str) -> str:
    """Return the code of a "code – name" entry picked from a template dropdown, else the text."""
    match = _CODE_WITH_NAME.match(text)
    return match.group(1) if match else text


def personal_id(raw: Any) -> Outcome:
    """Outputs: the 12-digit ID (or None)."""
    parsed = parse.parse_personal_id(raw)
    shown = parse.normalise_text(raw)
    if parsed.value is None:
        return Outcome((None,), ((parsed.code or "PID_FORMAT", {"value": shown}),))
    findings: list[tuple[str, dict[str, Any]]] = []
    if parsed.converted:
        findings.append(("PID_DIGITS_CONVERTED", {"value": shown, "read": parsed.value}))
    if parsed.code:
        findings.append((parsed.code, {"value": shown, "restored": parsed.value}))
    return Outcome((parsed.value,), tuple(findings))


def full_name(raw: Any) -> Outcome:
    """Outputs: the name with each word capitalised."""
    name = parse.normalise_name(raw)
    findings: list[tuple[str, dict[str, Any]]] = []
    if name.replaced:
        findings.append(("NAME_CHARACTERS_REPLACED", {"read": name.text}))
    if name.reason:
        # An over-long name is shown cut: the report quotes it, and the reason gives the limit.
        shown = name.text if name.reason != "too_long" else name.text[:parse.MAX_NAME_CHARS] + "…"
        findings.append(("NAME_INVALID", {"value": shown, "reason": name.reason}))
    return Outcome((name.text,), tuple(findings))


def parsed_date(raw: Any, *, epoch: date, century_pivot: int) -> Outcome:
    """Outputs: the date read day first, its failure or warning code, and the month-first reading."""
    parsed = parse.parse_date(raw, epoch=epoch, century_pivot=century_pivot)
    return Outcome((parsed.value, parsed.code, parsed.alternative))


def gender(raw: Any) -> Outcome:
    found = parse.parse_gender(raw)
    if found is None:
        return Outcome((None,), (("GENDER_INVALID", {"value": parse.normalise_text(raw)}),))
    return Outcome((found,))


def optional_text(raw: Any) -> Outcome:
    return Outcome((parse.normalise_text(raw),))


def code_without_spaces(raw: Any) -> Outcome:
    return Outcome((parse.parse_code(raw).replace(" ", ""),))


def ethnic_group(raw: Any) -> Outcome:
    """Outputs: the group's name (or the text), its 2008 code and the list version.

    A numeric code is read in both the 1979 and 2008 lists, which number groups differently.
    Where both name the same group the code is accepted (as the 2008 code) with a warning to
    write the name; where they differ, guessing would misfile a sensitive attribute, so the
    row is blocked until the agency writes the name.
    """
    text = parse.parse_code(raw)
    shown = parse.normalise_text(raw)
    if not (parse.is_ascii_digits(text) and len(text) <= 2):
        group = ethnicity.lookup_ethnicity(shown)
        if group is None:
            return Outcome((shown, None, None), (("ETHNICITY_UNKNOWN", {"value": shown}),))
        return Outcome((group.name, group.code_2008, ethnicity.ETHNIC_LIST_VERSION))
    code = text.zfill(2)
    by_2008 = ethnicity.ethnic_group_by_code_2008().get(code)
    by_1979 = _ethnic_groups_by_code_1979().get(code)
    if by_2008 is None and by_1979 is None:
        return Outcome((shown, None, None), (("ETHNICITY_UNKNOWN", {"value": code}),))
    if by_2008 is not None and by_1979 is not None and by_2008 is not by_1979:
        return Outcome((shown, None, None), (("ETHNICITY_CODE_AMBIGUOUS", {
            "value": code, "name_2008": by_2008.name, "name_1979": by_1979.name}),))
    group = by_2008 or by_1979
    assert group is not None  # noqa: S101 - one of the two lists names it, checked above
    return Outcome((group.name, group.code_2008, ethnicity.ETHNIC_LIST_VERSION),
                   (("ETHNICITY_CODE_GIVEN", {"value": code, "name": group.name}),))


@functools.cache
def _ethnic_groups_by_code_1979() -> dict[str, ethnicity.EthnicGroup]:
    return {group.code_1979: group for group in ethnicity.ETHNIC_GROUPS if group.code_1979 is not None}


def religion(raw: Any) -> Outcome:
    """Outputs: the religion's name (or the text) and its code."""
    shown = parse.normalise_text(raw)
    found = religions.lookup_religion(shown)
    if found is None:
        return Outcome((shown, None), (("RELIGION_UNKNOWN", {"value": shown}),))
    return Outcome((found.name, found.code))


def commune(raw: Any, *, legacy_allowed: bool) -> Outcome:
    """Outputs: the commune code and its list version.

    Birthplace and hometown are written with the units of their time (2C-BNV/2008 items 4–5),
    so a pre-2025 code is kept there; a residence must be a current commune, and a pre-2025
    code moved whole into one commune is converted with a warning.
    """
    current = admin_units.current_communes()
    legacy = admin_units.legacy_communes()
    code = admin_units.normalise_commune_code(code_part(raw) if isinstance(raw, str) else raw)
    shown = code_part(parse.parse_code(raw))
    if code is not None and code in current:
        return Outcome((code, admin_units.CURRENT_LIST_VERSION))
    if code is not None and code in legacy and legacy_allowed:
        return Outcome((code, admin_units.LEGACY_LIST_VERSION))
    if code is not None and code in legacy:
        successors, whole_unit = admin_units.current_successors(code)
        if whole_unit and len(successors) == 1:
            new_code = successors[0]
            return Outcome((new_code, admin_units.CURRENT_LIST_VERSION), (("COMMUNE_LEGACY_MAPPED", {
                "value": shown, "new_code": new_code, "new_name": current[new_code].name}),))
        candidates = ", ".join(f"{successor} {current[successor].name}" for successor in successors
                               if successor in current)
        return Outcome((code, admin_units.LEGACY_LIST_VERSION), (("COMMUNE_LEGACY_AMBIGUOUS", {
            "value": shown, "candidates": candidates or "-"}),))
    return Outcome((shown, None), (("COMMUNE_UNKNOWN", {"value": shown}),))


def unit(raw: Any, *, units: frozenset[str] | None) -> Outcome:
    code = parse.parse_code(raw)
    if units is not None and code not in units:
        return Outcome((code,), (("UNIT_UNKNOWN", {"value": code}),))
    return Outcome((code,))


def rank(raw: Any) -> Outcome:
    """Outputs: the rank or title code as written in the catalog (or the code written), and the catalog key."""
    written = code_part(parse.normalise_text(raw))
    found = ranks.lookup_rank(written)
    if found is None:
        code_shape = RANK_SHAPE.fullmatch(ranks.normalise_rank_code(written))
        return Outcome((written, None), (("RANK_UNKNOWN" if code_shape else "RANK_FORMAT", {"value": written}),))
    return Outcome((found.code, found.code))


def integer(raw: Any) -> Outcome:
    number = parse.parse_integer(raw)
    if number is None:
        return Outcome((None,), (("NUMBER_INVALID", {"value": parse.normalise_text(raw)}),))
    return Outcome((number,))


def decimal(raw: Any) -> Outcome:
    """Outputs: the number as text with two decimals ("3.00"), as the national API takes it."""
    number = parse.parse_decimal(raw)
    if number is None:
        return Outcome((None,), (("NUMBER_INVALID", {"value": parse.normalise_text(raw)}),))
    return Outcome((f"{number:.2f}",))


def catalog_value(raw: Any, *, lookup: Callable[[str], str | None], allowed: str) -> Outcome:
    shown = parse.normalise_text(raw)
    canonical = lookup(shown)
    if canonical is None:
        return Outcome((shown,), (("VALUE_NOT_IN_LIST", {"value": shown, "allowed": allowed}),))
    return Outcome((canonical,))


def parsed_decimal(raw: Any) -> Decimal | None:
    return parse.parse_decimal(raw)
