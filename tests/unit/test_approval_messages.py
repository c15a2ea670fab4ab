"""The approval message catalog: every signing reason and warning code has Vietnamese and English text."""

from __future__ import annotations

import string

import pytest

from cbccvc.messages import MESSAGES
from cbccvc.messages.approval import APPROVAL_MESSAGES
from cbccvc.signing.result import ReasonCode, WarningCode

SIGNING_CODES = [*ReasonCode, *WarningCode]


def fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@pytest.mark.parametrize("code", SIGNING_CODES)
def test_messages_code_has_both_languages(code: str) -> None:
    message = APPROVAL_MESSAGES[code]

    assert message.vi.strip()
    assert message.en.strip()
    assert message.vi != message.en


@pytest.mark.parametrize("code", SIGNING_CODES)
def test_messages_same_fields_in_both(code: str) -> None:
    message = APPROVAL_MESSAGES[code]

    assert fields(message.vi) == fields(message.en)


@pytest.mark.parametrize("code", SIGNING_CODES)
def test_messages_merged_into_catalog(code: str) -> None:
    assert MESSAGES[code] == APPROVAL_MESSAGES[code]


def test_messages_no_unknown_codes() -> None:
    assert set(APPROVAL_MESSAGES) == {code.value for code in SIGNING_CODES}
