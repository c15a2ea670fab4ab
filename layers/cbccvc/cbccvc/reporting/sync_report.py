"""The sync report of a batch: counts and every record the national databases did not accept."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from cbccvc.messages import label, render
from cbccvc.models import BatchKeys
from cbccvc.reporting.spreadsheet import neutralise
from cbccvc.storage import ObjectStore

_COUNTS = ("records_synced", "records_unchanged", "records_superseded", "records_failed", "party_synced",
           "party_failed")


def build_sync_report(batch: dict[str, Any], results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    problems = []
    for result in sorted(results, key=lambda item: int(item["row"])):
        if result.get("status") == "failed":
            problems.append(_problem(result, "RECORD_REJECTED", result.get("error_code") or "-"))
        if result.get("party_status") == "failed":
            problems.append(_problem(result, "PARTY_REJECTED", result.get("party_error_code") or "-"))
    counts = {name: int(batch.get(name, 0)) for name in _COUNTS}
    return {
        "batch_id": batch["batch_id"],
        "agency_code": batch["agency_code"],
        "file_name": batch.get("file_name"),
        "counts": counts,
        "problems": problems,
    }


def _problem(result: dict[str, Any], code: str, error_code: str) -> dict[str, Any]:
    row = int(result["row"])
    return {"row": row, "sheet": result.get("sheet"), "code": code, "error_code": error_code,
            "message": render(code, row=row, error_code=error_code)}


def write_sync_report(store: ObjectStore, keys: BatchKeys, batch: dict[str, Any],
                      results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    report = build_sync_report(batch, results)
    store.put(keys.sync_report_json, json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8"),
              content_type="application/json")
    store.put(keys.sync_report_xlsx, _to_xlsx(report),
              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return report


def _to_xlsx(report: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    summary = workbook.add_worksheet(label("validation.sheet_summary"))
    summary.set_column(0, 0, 44)
    summary.set_column(1, 1, 40)
    summary.write_string(0, 0, label("sync.title"), bold)
    summary.write_string(1, 0, label("sync.batch"))
    summary.write_string(1, 1, neutralise(report["batch_id"]))
    for row, name in enumerate(_COUNTS, start=2):
        summary.write_string(row, 0, label(f"sync.{name}"))
        summary.write_number(row, 1, report["counts"][name])
    details = workbook.add_worksheet(label("validation.sheet_details"))
    columns = (("sync.row", 8), ("sync.sheet", 16), ("sync.code", 20), ("sync.national_code", 28), ("sync.message", 90))
    for column, (key, width) in enumerate(columns):
        details.write_string(0, column, label(key), bold)
        details.set_column(column, column, width)
    for row, problem in enumerate(report["problems"], start=1):
        details.write_number(row, 0, problem["row"])
        details.write_string(row, 1, neutralise(problem["sheet"] or ""))
        details.write_string(row, 2, problem["code"])
        details.write_string(row, 3, neutralise(problem["error_code"]))
        details.write_string(row, 4, neutralise(problem["message"]))
    workbook.close()
    return buffer.getvalue()
