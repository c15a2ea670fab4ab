"""The validate stage writes the annotated copy beside its reports: each finding marked on its cell."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pytest

from cbccvc.models import BatchKeys
from cbccvc.reporting.annotated_workbook import annotated_report_key
from cbccvc_local.pipeline import SAMPLE_EXPORT, LocalPipeline

pytestmark = pytest.mark.integration

FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}


def _report(pipeline: LocalPipeline, keys: BatchKeys) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(pipeline.store.get(keys.report_json))
    return report


def test_annotated_sample_marks_findings(pipeline: LocalPipeline, sample_faults: list[dict[str, Any]]) -> None:
    outcome = pipeline.upload_export(SAMPLE_EXPORT.read_bytes(), SAMPLE_EXPORT.name)
    keys = BatchKeys(pipeline.agency_code, outcome["batch_id"])
    key = annotated_report_key(keys, SAMPLE_EXPORT.name)
    assert key.endswith("/report/Danh sách CBCCVC mẫu - danh dau loi.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(pipeline.store.get(key)))
    sheet = workbook["Danh sách"]

    findings = [finding for finding in _report(pipeline, keys)["findings"] if finding["cell"]]
    assert {(finding["row"], finding["column"], finding["code"]) for finding in findings} >= {
        (fault["row"], fault["column"], fault["code"]) for fault in sample_faults}
    summary_column = sheet.max_column
    for finding in findings:
        cell = sheet[finding["cell"]]
        assert cell.comment is not None, finding["cell"]
        assert finding["code"] in cell.comment.text
        severities = {other["severity"] for other in findings if other["cell"] == finding["cell"]}
        expected = "error" if "error" in severities else "warning"
        assert cell.fill.fgColor.rgb == FILLS[expected], finding["cell"]
        summary = sheet.cell(row=finding["row"], column=summary_column).value
        assert finding["cell"] in summary
    # Rows without findings carry no marks.
    faulty_rows = {finding["row"] for finding in findings}
    clean_row = next(row for row in range(5, 305) if row not in faulty_rows)
    assert sheet.cell(row=clean_row, column=summary_column).value is None
    assert all(cell.comment is None for cell in sheet[clean_row])


def test_annotated_csv_upload(pipeline: LocalPipeline) -> None:
    data = ("Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Mã đơn vị,Dân tộc\r\n"
            "Nguyễn Văn An,15/03/1985,Nam,12345,000.00.01.H46,Kinh\r\n").encode("utf-8-sig")
    outcome = pipeline.upload_export(data, "xuat.csv")
    assert outcome["state"] == "rejected"  # its only row is invalid
    keys = BatchKeys(pipeline.agency_code, outcome["batch_id"])
    workbook = openpyxl.load_workbook(io.BytesIO(pipeline.store.get(annotated_report_key(keys, "xuat.csv"))))
    sheet = workbook.worksheets[0]
    assert sheet["D2"].value == "12345"
    assert "PID_FORMAT" in sheet["D2"].comment.text
    texts = [row[0].value for row in workbook.worksheets[-1].iter_rows() if row[0].value]
    assert any("NO_VALID_RECORDS" in text for text in texts)
