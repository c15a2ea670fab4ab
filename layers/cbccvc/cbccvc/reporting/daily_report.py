"""The daily progress report for the steering committees, built from per-agency counters.

It reads one item per agency (never a record), so its cost grows with the number of agencies.
It writes XLSX, HTML and JSON under ``reports/daily/{date}/``; the report is in Vietnamese and
carries counts only, no personal data.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter

from cbccvc.messages import Language, current_language, label
from cbccvc.reporting.spreadsheet import neutralise
from cbccvc.state.repository import StateRepository
from cbccvc.storage import ObjectStore

# Counter columns of the report, in order; each is an attribute of the agency's progress item.
COUNT_COLUMNS = (
    "batches_received", "batches_rejected", "approvals_rejected", "approvals_pending", "batches_approved",
    "batches_syncing", "batches_synced", "batches_partial", "batches_failed", "last_batch_rows", "last_batch_valid",
    "last_batch_invalid", "records_synced", "records_unchanged", "records_superseded", "records_failed",
)
# A batch still syncing this long after its sync started is reported as stuck: chunks are
# retried for minutes, so hours mean they ended in the dead-letter queue.
STUCK_AFTER = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class DailyReportKeys:
    xlsx: str
    html: str
    json: str


def report_keys(day: date) -> DailyReportKeys:
    base = f"reports/daily/{day.isoformat()}/bao-cao-tien-do-{day.isoformat()}"
    return DailyReportKeys(xlsx=f"{base}.xlsx", html=f"{base}.html", json=f"{base}.json")


def build_daily_report(agencies: Sequence[dict[str, Any]], *, now: datetime, timezone: str,
                       stale_after_days: int) -> dict[str, Any]:
    local_now = now.astimezone(ZoneInfo(timezone))
    rows = [_agency_row(agency, local_now, stale_after_days) for agency in
            sorted(agencies, key=lambda item: item["agency_code"])]
    totals = {name: sum(row[name] for row in rows) for name in COUNT_COLUMNS}
    totals["agencies"] = len(rows)
    totals["agencies_reported"] = sum(1 for row in rows if row["batches_received"] > 0)
    totals["agencies_pilot_passed"] = sum(1 for row in rows if row["pilot_status"] == "passed")
    totals["agencies_synced"] = sum(1 for row in rows if row["last_successful_sync_at"])
    totals["agencies_stuck"] = sum(1 for row in rows if row["status"] == "stuck")
    return {
        "date": local_now.date().isoformat(),
        "generated_at": local_now.isoformat(timespec="seconds"),
        "timezone": timezone,
        "stale_after_days": stale_after_days,
        "agencies": rows,
        "totals": totals,
    }


def _agency_row(agency: dict[str, Any], local_now: datetime, stale_after_days: int) -> dict[str, Any]:
    row: dict[str, Any] = {"agency_code": agency["agency_code"], "agency_name": agency.get("name", "")}
    for name in COUNT_COLUMNS:
        row[name] = int(agency.get(name, 0))
    row["valid_share"] = (
        round(100 * row["last_batch_valid"] / row["last_batch_rows"], 1) if row["last_batch_rows"] else None
    )
    row["pilot_status"] = agency.get("pilot_status") or "none"
    row["last_upload_at"] = agency.get("last_upload_at")
    row["last_successful_sync_at"] = agency.get("last_successful_sync_at")
    days = None
    if row["last_successful_sync_at"]:
        days = (local_now - _parse_time(row["last_successful_sync_at"])).days
    row["days_since_sync"] = days
    row["last_sync_started_at"] = agency.get("last_sync_started_at")
    stuck = row["batches_syncing"] > 0 and bool(row["last_sync_started_at"]) and (
        local_now - _parse_time(row["last_sync_started_at"]) > STUCK_AFTER)
    row["status"] = "stuck" if stuck else _status(row, days, stale_after_days)
    return row


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _status(row: dict[str, Any], days: int | None, stale_after_days: int) -> str:
    if days is not None:
        return "stale" if days > stale_after_days else "synced"
    if row["pilot_status"] == "passed":
        return "pilot_passed"
    if row["batches_received"]:
        return "reported"
    return "not_reported"


def write_daily_report(store: ObjectStore, report: dict[str, Any]) -> DailyReportKeys:
    keys = report_keys(date.fromisoformat(report["date"]))
    store.put(keys.json, json.dumps(report, ensure_ascii=False, indent=1).encode("utf-8"),
              content_type="application/json")
    store.put(keys.xlsx, render_xlsx(report),
              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    store.put(keys.html, render_html(report).encode("utf-8"), content_type="text/html; charset=utf-8")
    return keys


def compile_daily_report(state: StateRepository, store: ObjectStore, *, now: datetime, timezone: str,
                         stale_after_days: int) -> tuple[dict[str, Any], DailyReportKeys]:
    report = build_daily_report(state.list_agencies(), now=now, timezone=timezone,
                                stale_after_days=stale_after_days)
    return report, write_daily_report(store, report)


# --- rendering --------------------------------------------------------------------------------

_TABLE_COLUMNS = ("agency_code", "agency_name", "status", *COUNT_COLUMNS, "valid_share", "pilot_status",
                  "last_upload_at", "last_successful_sync_at", "days_since_sync")


def _header(name: str) -> str:
    return label("daily.pilot") if name == "pilot_status" else label(f"daily.{name}")


def _cell_text(name: str, row: dict[str, Any], report: dict[str, Any]) -> Any:
    value = row.get(name)
    if name == "status":
        return label(f"status.{value}", days=report["stale_after_days"])
    if name == "pilot_status":
        return label(f"pilot.{value}")
    if name in ("last_upload_at", "last_successful_sync_at") and value:
        return _local_time(value, report["timezone"])
    return value


def _local_time(value: str, timezone: str) -> str:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(ZoneInfo(timezone))
    return moment.strftime("%d/%m/%Y %H:%M")


def _generated_text(report: dict[str, Any]) -> str:
    """Word when the report was compiled as the officers read times: "07:00 ngày 05/12/2026"."""
    moment = datetime.fromisoformat(report["generated_at"])
    return label("daily.generated_at", time=moment.strftime("%H:%M"), date=moment.strftime("%d/%m/%Y"))


def _decimal_text(value: float) -> str:
    """Write a share with one decimal, with the decimal comma in Vietnamese ("92,0")."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if current_language() is Language.VI else text


def _display_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def render_xlsx(report: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    sheet = workbook.add_worksheet(label("daily.sheet"))
    title = workbook.add_format({"bold": True, "font_size": 14})
    head = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
                                "border": 1})
    bold = workbook.add_format({"bold": True})
    sheet.write_string(0, 0, label("daily.title", date=_display_date(report["date"])), title)
    sheet.write_string(1, 0, label("daily.subtitle", generated_at=_generated_text(report)))
    for column, name in enumerate(_TABLE_COLUMNS):
        sheet.write_string(3, column, _header(name), head)
        sheet.set_column(column, column, 30 if name in ("agency_name", "status") else 14)
    sheet.set_row(3, 60)
    sheet.freeze_panes(4, 2)
    row_number = 4
    for row in report["agencies"]:
        for column, name in enumerate(_TABLE_COLUMNS):
            _write(sheet, row_number, column, _cell_text(name, row, report))
        row_number += 1
    sheet.write_string(row_number, 0, label("daily.total"), bold)
    for column, name in enumerate(_TABLE_COLUMNS):
        if name in COUNT_COLUMNS:
            sheet.write_number(row_number, column, report["totals"][name], bold)
    workbook.close()
    return buffer.getvalue()


def _write(sheet: Any, row: int, column: int, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, neutralise(str(value)))


def render_html(report: dict[str, Any]) -> str:
    head_cells = "".join(f"<th>{html.escape(_header(name))}</th>" for name in _TABLE_COLUMNS)
    body_rows = []
    for row in report["agencies"]:
        cells = []
        for name in _TABLE_COLUMNS:
            value = _cell_text(name, row, report)
            if isinstance(value, float):
                value = _decimal_text(value)
            cells.append(f"<td>{'' if value is None else html.escape(str(value))}</td>")
        body_rows.append(f"<tr class=\"{html.escape(row['status'])}\">{''.join(cells)}</tr>")
    total_cells = "".join(
        f"<td>{report['totals'][name]}</td>" if name in COUNT_COLUMNS else "<td></td>" for name in _TABLE_COLUMNS[1:]
    )
    title = html.escape(label("daily.title", date=_display_date(report["date"])))
    subtitle = html.escape(label("daily.subtitle", generated_at=_generated_text(report)))
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; font-size: 0.9em; }}
th, td {{ border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }}
th {{ background: #ddebf7; }}
tr.not_reported td {{ background: #fde9e7; }}
tr.stale td {{ background: #fff4ce; }}
tr.stuck td {{ background: #f8cbad; }}
tfoot td {{ font-weight: bold; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>{subtitle}</p>
<table>
<thead><tr>{head_cells}</tr></thead>
<tbody>
{chr(10).join(body_rows)}
</tbody>
<tfoot><tr><td>{html.escape(label("daily.total"))}</td>{total_cells}</tr></tfoot>
</table>
</body>
</html>
"""
