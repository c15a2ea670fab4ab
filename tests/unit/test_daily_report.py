"""The daily progress report: statuses, totals and the three renderings."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import python_calamine

from cbccvc.reporting.daily_report import build_daily_report, render_html, render_xlsx

NOW = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)  # 07:00 in Vietnam


def _agency(code: str, **counters: object) -> dict[str, object]:
    return {"agency_code": code, "name": f"Cơ quan {code}", **counters}


AGENCIES = [
    _agency("A01"),
    _agency("B02", batches_received=1, last_batch_rows=10, last_batch_valid=8, last_batch_invalid=2),
    _agency("C03", batches_received=2, pilot_status="passed"),
    _agency("D04", batches_received=3, batches_synced=2, records_synced=500, pilot_status="passed",
            last_successful_sync_at=(NOW - timedelta(days=1)).isoformat()),
    _agency("E05", batches_received=1, batches_synced=1, records_synced=40, pilot_status="passed",
            last_successful_sync_at=(NOW - timedelta(days=9)).isoformat()),
]


@pytest.fixture
def report() -> dict[str, object]:
    return build_daily_report(AGENCIES, now=NOW, timezone="Asia/Ho_Chi_Minh", stale_after_days=5)


def test_report_date_is_vietnam_date(report: dict[str, object]) -> None:
    assert report["date"] == "2026-12-04"


@pytest.mark.parametrize(("code", "status"), [
    ("A01", "not_reported"),
    ("B02", "reported"),
    ("C03", "pilot_passed"),
    ("D04", "synced"),
    ("E05", "stale"),
])
def test_agency_status(report: dict[str, object], code: str, status: str) -> None:
    rows = {row["agency_code"]: row for row in report["agencies"]}
    assert rows[code]["status"] == status


def test_totals(report: dict[str, object]) -> None:
    totals = report["totals"]
    assert totals["agencies"] == 5
    assert totals["agencies_reported"] == 4
    assert totals["agencies_pilot_passed"] == 3
    assert totals["agencies_synced"] == 2
    assert totals["records_synced"] == 540
    assert totals["batches_received"] == 7


def test_valid_share(report: dict[str, object]) -> None:
    rows = {row["agency_code"]: row for row in report["agencies"]}
    assert rows["B02"]["valid_share"] == 80.0
    assert rows["A01"]["valid_share"] is None


def test_html_vietnamese_numbers_and_time(report: dict[str, object]) -> None:
    page = render_html(report)
    assert "<td>80,0</td>" in page  # the decimal comma
    assert "80.0" not in page
    local = NOW.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f"{local:%H:%M} ngày {local:%d/%m/%Y}" in page
    assert str(report["generated_at"]) not in page


def test_xlsx_rows_per_agency(report: dict[str, object]) -> None:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(render_xlsx(report)))
    rows = workbook.get_sheet_by_index(0).to_python()
    codes = [row[0] for row in rows[4:9]]
    assert codes == ["A01", "B02", "C03", "D04", "E05"]
    assert rows[9][0] == "Tổng cộng"


def test_html_escapes_names() -> None:
    hostile = [_agency("X01", name="<script>alert(1)</script>")]
    html = render_html(build_daily_report(hostile, now=NOW, timezone="Asia/Ho_Chi_Minh", stale_after_days=5))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_xlsx_neutralises_formula_names() -> None:
    hostile = [_agency("X01", name="=HYPERLINK(\"http://example.invalid\")")]
    data = render_xlsx(build_daily_report(hostile, now=NOW, timezone="Asia/Ho_Chi_Minh", stale_after_days=5))
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    name = workbook.get_sheet_by_index(0).to_python()[4][1]
    assert name.startswith("'=")


def test_stuck_sync_flagged() -> None:
    agencies = [_agency("F06", batches_received=1, batches_syncing=1, pilot_status="passed",
                        last_sync_started_at=(NOW - timedelta(hours=7)).isoformat()),
                _agency("G07", batches_received=1, batches_syncing=1,
                        last_sync_started_at=(NOW - timedelta(minutes=20)).isoformat())]
    report = build_daily_report(agencies, now=NOW, timezone="Asia/Ho_Chi_Minh", stale_after_days=5)
    rows = {row["agency_code"]: row for row in report["agencies"]}
    assert rows["F06"]["status"] == "stuck"
    assert rows["G07"]["status"] == "reported"
    assert report["totals"]["agencies_stuck"] == 1
