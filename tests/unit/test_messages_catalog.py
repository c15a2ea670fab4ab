"""The message catalog: every code the product emits has both languages with the same placeholders."""

from __future__ import annotations

import string

import pytest

from cbccvc.messages import LABELS, MESSAGES, Language, render
from cbccvc.validation.codes import SEVERITY


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_languages_share_placeholders(code: str) -> None:
    message = MESSAGES[code]
    assert message.vi.strip()
    assert message.en.strip()
    assert _fields(message.vi) == _fields(message.en)


@pytest.mark.parametrize("key", sorted(LABELS))
def test_labels_share_placeholders(key: str) -> None:
    assert _fields(LABELS[key].vi) == _fields(LABELS[key].en)


def test_every_finding_code_has_message() -> None:
    assert set(SEVERITY) <= set(MESSAGES)


def test_render_language_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CBCCVC_LANG", "en")
    assert render("GENDER_INVALID", value="X").startswith("Gender")
    monkeypatch.setenv("CBCCVC_LANG", "vi")
    assert render("GENDER_INVALID", value="X").startswith("Giới tính")
    assert render("GENDER_INVALID", Language.EN, value="X").startswith("Gender")


def test_render_missing_parameter_raises() -> None:
    with pytest.raises(KeyError):
        render("GENDER_INVALID")
