"""The validation report: every code has a message in both languages, and the JSON and XLSX hold each finding."""

from __future__ import annotations

import io
import json
import string
from decimal import Decimal

import openpyxl
import pytest

from cbccvc.messages import LABELS, MESSAGES, Language, render
from cbccvc.messages.validation import VALIDATION_MESSAGES
from cbccvc.models import Finding, Severity
from cbccvc.reporting.validation_report import (
    ValidationReport,
    build_report,
    finding_message,
    message_params,
    rows_by_severity,
)
from cbccvc.validation.codes import SEVERITY


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_report_every_code_has_message() -> None:
    assert set(SEVERITY) <= set(MESSAGES)
    assert set(VALIDATION_MESSAGES) <= set(SEVERITY)


@pytest.mark.parametrize("code", sorted(SEVERITY))
def test_report_message_languages_agree(code: str) -> None:
    message = MESSAGES[code]
    assert message.vi.strip()
    assert message.en.strip()
    assert message.vi != message.en
    assert _fields(message.vi) == _fields(message.en)


@pytest.mark.parametrize("code", sorted(code for code, severity in SEVERITY.items() if severity == "error"))
def test_report_error_messages_say_how_to_fix(code: str) -> None:
    """An error's message has a second part, the fix: at least two sentences in each language."""
    message = MESSAGES[code]
    for text in (message.vi, message.en):
        assert text.count(". ") + text.count(": ") >= 1, code


def test_report_labels_bilingual() -> None:
    for key, message in LABELS.items():
        assert message.vi.strip(), key
        assert message.en.strip(), key
        assert _fields(message.vi) == _fields(message.en), key


def _findings() -> list[Finding]:
    return [
        Finding("PID_FORMAT", Severity.ERROR, row=5, column="D", sheet="Danh sách", header="Số CCCD",
                field="personal_id", params={"value": "12345"}),
        Finding("NAME_INVALID", Severity.ERROR, row=3, column="B", sheet="Danh sách", header="Họ tên",
                field="full_name", params={"value": "An", "reason": "single_word"}),
        Finding("RELIGION_UNKNOWN", Severity.WARNING, row=3, column="H", sheet="Danh sách", header="Tôn giáo",
                field="religion", params={"value": "X"}),
        Finding("PARTY_CARD_FORMAT", Severity.WARNING, row=9, column="Z", sheet="Danh sách", header="Số thẻ ĐV",
                field="party_card_number", params={"value": "1"}),
        Finding("UNITS_NOT_CONFIGURED", Severity.WARNING),
    ]


def _report() -> ValidationReport:
    return build_report(batch_id="H46-abc", agency_code="H46", file_name="Danh sách.xlsx",
                        generated_at="2026-03-01T00:00:00+00:00", rows=10, staged=8, invalid=2, findings=_findings())


def test_report_json_fields() -> None:
    report = _report()
    payload = json.loads(report.to_json())
    assert payload["summary"]["by_code"]["PID_FORMAT"] == 1
    assert payload["summary"]["by_column"] == {"Số CCCD": 1, "Họ tên": 1, "Tôn giáo": 1, "Số thẻ ĐV": 1}
    first = payload["findings"][1]  # the file-level finding sorts first
    assert {key: first[key] for key in ("sheet", "row", "cell", "header", "code", "severity")} == {
        "sheet": "Danh sách", "row": 3, "cell": "B3", "header": "Họ tên", "code": "NAME_INVALID",
        "severity": "error"}
    assert [finding["row"] for finding in payload["findings"]] == [None, 3, 3, 5, 9]
    assert all(finding["message"] for finding in payload["findings"])


def test_report_reason_worded() -> None:
    finding = _findings()[1]
    assert "single_word" not in finding_message(finding, Language.VI)
    assert "single_word" not in finding_message(finding, Language.EN)


def test_report_rows_by_severity() -> None:
    assert rows_by_severity(_findings()) == (2, 1)


def test_report_xlsx_summary_and_details() -> None:
    report = _report()
    workbook = openpyxl.load_workbook(io.BytesIO(report.to_xlsx()))
    summary, details = workbook.worksheets
    texts = [cell.value for row in summary.iter_rows() for cell in row if cell.value is not None]
    assert "PID_FORMAT" in texts
    assert any(isinstance(text, str) and "Danh sách - danh dau loi.xlsx" in text for text in texts)
    rows = [[cell.value for cell in row] for row in details.iter_rows(min_row=2)]
    assert [(row[2], row[5]) for row in rows] == [("", "UNITS_NOT_CONFIGURED"), ("B3", "NAME_INVALID"),
                                                 ("H3", "RELIGION_UNKNOWN"), ("D5", "PID_FORMAT"),
                                                 ("Z9", "PARTY_CARD_FORMAT")]
    assert details["E3"].fill.fgColor.rgb.endswith("FFC7CE")  # error
    assert details["E4"].fill.fgColor.rgb.endswith("FFEB9C")  # warning
    assert details.auto_filter.ref == "A1:G6"


def test_report_render_english() -> None:
    assert render("PID_FORMAT", Language.EN, value="1").startswith("Personal ID")


def test_report_counts_dropped_rows() -> None:
    report = build_report(batch_id="H46-abc", agency_code="H46", file_name="ds.xlsx",
                          generated_at="2026-03-01T00:00:00+00:00", rows=10, staged=6, invalid=3, dropped=1,
                          findings=_findings())
    summary = json.loads(report.to_json())["summary"]
    assert summary["rows"] == summary["valid"] + summary["invalid"] + summary["dropped"]
    workbook = openpyxl.load_workbook(io.BytesIO(report.to_xlsx()))
    facts = {row[0].value: row[1].value for row in workbook.worksheets[0].iter_rows() if row[0].value}
    assert facts[LABELS["validation.dropped"].vi] == 1


def test_report_decimal_comma_in_vietnamese() -> None:
    finding = Finding("SALARY_COEFFICIENT_INVALID", Severity.ERROR, row=2, column="G", field="salary_coefficient",
                      params={"value": Decimal("3.01"), "step": 3, "group": "A1", "expected": Decimal("3.00")})
    assert message_params(finding, Language.VI)["value"] == "3,01"
    assert message_params(finding, Language.VI)["expected"] == "3,00"
    assert message_params(finding, Language.EN)["value"] == Decimal("3.01")
    assert "3,01" in finding_message(finding, Language.VI)
    assert "3.01" in finding_message(finding, Language.EN)
