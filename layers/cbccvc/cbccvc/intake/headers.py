"""Find the header row of a sheet and match its column headers to record fields by meaning.

A header matches a field when its folded text (no diacritics, lower case, punctuation and
line breaks as spaces) is the field's header or one of its aliases, also after dropping a
hint in brackets ("Ngày sinh (dd/mm/yyyy)", "Giới tính (Nam/Nữ)", "Họ và tên (*)"). Failing
that, a header matches the field of the longest known header it contains when every other word
is a qualifier that does not change the meaning ("Hệ số lương hiện hưởng", "Chức vụ hiện tại").
"Mã đơn vị cấp trên" is another unit's code, so "cấp trên" is no qualifier. Headers typed with
a legacy Vietnamese font (TCVN3, VNI) are decoded before matching.

The header may take two rows: a group header merged over several columns ("Ngạch/chức
danh") above the headers of its columns ("Mã ngạch" | "Bậc" | "Hệ số"), with the other
headers merged down over both rows. Each column is then matched on its lower text alone,
then on the group text with it ("Quê quán" over "Mã xã").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cbccvc.intake.legacy_encodings import DECODERS, LegacyEncoding, may_be_legacy
from cbccvc.schema import build_header_index, fold_header

# Header detection looks at the first rows only; title blocks above the header are short.
HEADER_SEARCH_ROWS = 30
# A header row must name at least this many known fields to count as one.
MIN_RECOGNISED_HEADERS = 3
# Headers of row-number columns, which are not record fields.
ROW_NUMBER_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "thu tu"})

_HEADER_INDEX = build_header_index()
# Known headers as word tuples by their first word, longest first, for matching a header that contains one.
_HEADERS_BY_FIRST_WORD: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _text, _name in sorted(_HEADER_INDEX.items(), key=lambda item: -len(item[0].split())):
    _HEADERS_BY_FIRST_WORD.setdefault(_text.split()[0], []).append((tuple(_text.split()), _name))
# A cell of more words than this is a sentence or a value, not a header with a qualifier.
MAX_HEADER_WORDS = 12
# Folded words that may follow or precede a known header without changing what it names
# ("hiện hưởng", "hiện tại", "hiện nay", "hiện giữ", "mới nhất", "cao nhất", "đầy đủ", "ghi rõ").
# "đang" is left out: it folds like "Đảng", and "Chức vụ Đảng" is a Party post, not the position.
QUALIFIER_WORDS = frozenset({"hien", "huong", "tai", "nay", "giu", "moi", "nhat", "cao", "day", "du", "ghi", "ro"})
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# A date format written into the header without brackets: "Ngày sinh dd/mm/yyyy", "Ngày sinh - ngày/tháng/năm".
_DATE_FORMAT_HINT = re.compile(r"\b(?:dd mm yyyy|dd mm yy|mm dd yyyy|yyyy mm dd|ngay thang nam)$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,3}\)?$")


@dataclass(frozen=True, slots=True)
class MergedRange:
    """A merged block of cells, 0-based and inclusive, in grid coordinates."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass(slots=True)
class HeaderMatch:
    """The header's position, and the field of each matched column position."""

    last_row: int  # grid row of the (lower) header row; data follow it
    rows: int  # 1, or 2 for a two-row header
    fields: dict[int, str]  # column position → field name
    texts: list[str]  # header text of every position, as shown to the agency
    legacy: dict[int, LegacyEncoding] = field(default_factory=dict)  # positions whose header was decoded
    # Positions whose header names a field an earlier position already has → that field.
    duplicates: dict[int, str] = field(default_factory=dict)


def cell_text(cell: Any) -> str:
    """Return a cell as one line of text ("" for an empty cell)."""
    if cell is None or cell == "":
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def match_header(text: str) -> tuple[str, LegacyEncoding | None] | None:
    """Return the field a header text names and the legacy encoding it was decoded from, if any."""
    field_name = _lookup(text)
    if field_name:
        return field_name, None
    if may_be_legacy(text):
        for encoding, decode in DECODERS.items():
            field_name = _lookup(decode(text))
            if field_name:
                return field_name, encoding
    return None


def decoded_header(text: str, encoding: LegacyEncoding | None) -> str:
    return DECODERS[encoding](text) if encoding else text


@functools.lru_cache(maxsize=4096)
def _lookup(text: str) -> str | None:
    # Cached: the header search reads the same first rows of a sheet several times.
    folded = fold_header(text)
    found = _HEADER_INDEX.get(folded)
    if found is not None:
        return found
    without_brackets = folded
    if "(" in text or "[" in text:
        without_brackets = fold_header(_BRACKETED.sub(" ", text))
        found = _HEADER_INDEX.get(without_brackets)
    if found is None:
        without_hint = " ".join(_DATE_FORMAT_HINT.sub(" ", folded).split())
        if without_hint != folded:
            found = _HEADER_INDEX.get(without_hint)
    if found is None:
        found = _contained_header(without_brackets.split())
    return found


def _contained_header(words: list[str]) -> str | None:
    """Return the field of the longest known header found in ``words`` when the rest are qualifiers."""
    if len(words) > MAX_HEADER_WORDS or not any(word in QUALIFIER_WORDS for word in words):
        return None
    best: tuple[int, str] | None = None
    for start, word in enumerate(words):
        for known, name in _HEADERS_BY_FIRST_WORD.get(word, ()):
            size = len(known)
            if size >= len(words) or (best is not None and size <= best[0]):
                continue
            if tuple(words[start:start + size]) != known:
                continue
            rest = words[:start] + words[start + size:]
            if all(word in QUALIFIER_WORDS for word in rest):
                best = (size, name)
    return best[1] if best else None


def find_header(rows: Sequence[Sequence[Any]], merged: Sequence[MergedRange] = ()) -> HeaderMatch | None:
    """Return the header among the first rows that names the most fields (at least three).

    Between candidates naming as many fields, the one starting highest wins, and a two-row
    header wins over a one-row header on the same first row (its lower row contains headers,
    not data). A two-row candidate counts only when its upper row names something, so a title row
    above a one-row header never makes one.
    """
    head = _header_grid(rows, merged)
    # Cached for this call only: the first rows may hold personal data, which must not outlive it.
    matcher = cache(match_header)
    candidates = [
        candidate
        for offset in range(len(head))
        for candidate in (_match_row(head, offset, matcher), _match_two_rows(head, offset, matcher))
        if candidate is not None
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda match: (len(match.fields), match.rows - 1 - match.last_row, match.rows))
    return best if len(best.fields) >= MIN_RECOGNISED_HEADERS else None


def is_column_number_row(row: Sequence[Any]) -> bool:
    """Tell whether a row under the header only numbers the columns: "1 2 3 …" or "(1) (2) (3) …"."""
    numbers: list[int] = []
    for cell in row:
        text = cell_text(cell)
        if not text:
            continue
        if not _COLUMN_NUMBER.match(text):
            return False
        numbers.append(int(text.strip("()")))
    return len(numbers) >= MIN_RECOGNISED_HEADERS and all(b > a for a, b in itertools.pairwise(numbers))


def _header_grid(rows: Sequence[Sequence[Any]], merged: Sequence[MergedRange]) -> list[list[str]]:
    """Return the first rows as text, with each merged block's text copied into all its cells."""
    limit = min(len(rows), HEADER_SEARCH_ROWS + 1)
    grid = [[cell_text(cell) for cell in rows[index]] for index in range(limit)]
    for block in merged:
        if block.first_row >= limit or block.first_row >= len(grid) or block.first_column >= len(grid[block.first_row]):
            continue
        text = grid[block.first_row][block.first_column]
        for row_index in range(block.first_row, min(block.last_row, limit - 1) + 1):
            row = grid[row_index]
            for column in range(block.first_column, min(block.last_column, len(row) - 1) + 1):
                row[column] = text
    return grid


_Matcher = Callable[[str], tuple[str, LegacyEncoding | None] | None]


def _match_row(head: list[list[str]], offset: int, matcher: _Matcher) -> HeaderMatch | None:
    texts = head[offset]
    match = HeaderMatch(last_row=offset, rows=1, fields={}, texts=list(texts))
    for position, text in enumerate(texts):
        if text:
            _claim(match, position, [text], matcher)
    return match if match.fields else None


def _match_two_rows(head: list[list[str]], offset: int, matcher: _Matcher) -> HeaderMatch | None:
    if offset + 1 >= len(head):
        return None
    upper, lower = head[offset], head[offset + 1]
    width = max(len(upper), len(lower))
    groups = _group_texts(upper, lower, width)
    match = HeaderMatch(last_row=offset + 1, rows=2, fields={}, texts=[""] * width)
    upper_used = False
    for position in range(width):
        group = groups[position]
        below = lower[position] if position < len(lower) else ""
        if not below or below == group:
            candidates = [group] if group else []
        elif group:
            candidates = [below, f"{group} {below}", f"{below} {group}"]
        else:
            candidates = [below]
        match.texts[position] = f"{group} ({below})" if group and below and below != group else (below or group)
        matched = _claim(match, position, candidates, matcher) if candidates else None
        upper_used = upper_used or (matched is not None and matched != below)
    return match if upper_used else None


def _group_texts(upper: list[str], lower: list[str], width: int) -> list[str]:
    """Return the upper text over each column; an empty upper cell inside a group takes the group's text.

    Files without merge information (CSV, or a sheet whose group header was typed once) leave
    the cells right of a group header empty: they belong to the group while the lower row
    continues under it.
    """
    groups: list[str] = []
    current = ""
    for position in range(width):
        text = upper[position] if position < len(upper) else ""
        below = lower[position] if position < len(lower) else ""
        if text:
            current = text if below else ""
            groups.append(text)
        elif current and below:
            groups.append(current)
        else:
            current = ""
            groups.append("")
    return groups


def _claim(match: HeaderMatch, position: int, candidates: list[str], matcher: _Matcher) -> str | None:
    """Give ``position`` the field of its first matching candidate text, and return that text.

    The first column claiming a field keeps it.
    """
    claimed = set(match.fields.values())
    for text in candidates:
        found = matcher(text)
        if found is None:
            continue
        field_name, encoding = found
        if field_name in claimed:
            match.duplicates[position] = field_name
            return None
        match.fields[position] = field_name
        match.texts[position] = decoded_header(text, encoding)
        if encoding:
            match.legacy[position] = encoding
        return text
    return None
