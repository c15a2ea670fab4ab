"""The validate handler on moto and the emulator: file-level failures, encodings and canned events."""

from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from cbccvc import runtime
from cbccvc.models import BatchKeys
from cbccvc_local.pipeline import SAMPLE_EXPORT, LocalPipeline
from tests.conftest import load_event

pytestmark = pytest.mark.integration

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số định danh cá nhân,Mã đơn vị,Dân tộc\r\n"


def _csv(rows: list[str], *, encoding: str = "utf-8-sig", header: str = HEADER) -> bytes:
    text = header + "".join(row + "\r\n" for row in rows)
    if encoding == "cp1258":
        return _windows_1258(text)
    return text.encode(encoding)


def _windows_1258(text: str) -> bytes:
    """Encode as Windows does: precomposed where code page 1258 has the letter, else base plus tone mark."""
    encoded = bytearray()
    for char in text:
        try:
            encoded += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for index in range(len(marks), -1, -1):
            composed = unicodedata.normalize("NFC", base + "".join(marks[:index]))
            try:
                encoded += composed.encode("cp1258") + "".join(marks[index:]).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
    return bytes(encoded)


def _first_person(pipeline: LocalPipeline) -> dict[str, Any]:
    population: list[dict[str, Any]] = pipeline.emulator.store.dump()["population"]
    return population[0]


def _row_for(person: dict[str, Any], unit: str = "000.00.01.H46") -> str:
    year, month, day = person["birth_date"].split("-")
    gender = "Nam" if person["gender"] == "male" else "Nữ"
    return f"{person['full_name']},{day}/{month}/{year},{gender},{person['personal_id']},{unit},Kinh"


def _findings(pipeline: LocalPipeline, batch_id: str) -> list[dict[str, Any]]:
    report = json.loads(pipeline.store.get(BatchKeys(pipeline.agency_code, batch_id).report_json))
    findings: list[dict[str, Any]] = report["findings"]
    return findings


def test_csv_export_validated(pipeline: LocalPipeline) -> None:
    person = _first_person(pipeline)
    outcome = pipeline.upload_export(_csv([_row_for(person)]), "xuat-du-lieu.csv")
    assert outcome["state"] == "validated"
    assert outcome["valid"] == 1
    assert outcome["invalid"] == 0


def test_windows_1258_csv_read(pipeline: LocalPipeline) -> None:
    person = _first_person(pipeline)
    data = _csv([_row_for(person)], encoding="cp1258")
    outcome = pipeline.upload_export(data, "ban-cu.csv")
    assert outcome["state"] == "validated"
    assert outcome["valid"] == 1


def test_damaged_workbook_rejected(pipeline: LocalPipeline) -> None:
    data = SAMPLE_EXPORT.read_bytes()[:5000]
    outcome = pipeline.upload_export(data, "hong.xlsx")
    assert outcome["state"] == "rejected"
    batch = pipeline.batch(outcome["batch_id"])
    assert batch["rejection"]["code"] == "FILE_DAMAGED"
    findings = _findings(pipeline, outcome["batch_id"])
    assert [finding["code"] for finding in findings] == ["FILE_DAMAGED"]
    # The original upload is kept as it was.
    assert pipeline.store.get("incoming/H46/hong.xlsx") == data


def test_missing_required_column_rejected(pipeline: LocalPipeline) -> None:
    header = "Họ và tên,Ngày sinh,Giới tính,Mã đơn vị,Dân tộc\r\n"
    outcome = pipeline.upload_export(_csv(["Nguyễn Văn An,01/01/1990,Nam,000.00.01.H46,Kinh"], header=header),
                                     "thieu-cot.csv")
    assert outcome["state"] == "rejected"
    assert pipeline.batch(outcome["batch_id"])["rejection"]["code"] == "HEADER_MISSING_REQUIRED"


def test_unknown_headers_rejected(pipeline: LocalPipeline) -> None:
    outcome = pipeline.upload_export(b"a,b,c\r\n1,2,3\r\n", "la.csv")
    assert outcome["state"] == "rejected"
    batch = pipeline.batch(outcome["batch_id"])
    assert batch["rejection"]["code"] == "HEADER_NOT_FOUND"
    assert batch["rejection"]["params"]["found"] == "a, b, c"


def test_unsupported_format_rejected(pipeline: LocalPipeline) -> None:
    outcome = pipeline.upload_export(b"%PDF-1.4", "danh-sach.pdf")
    assert outcome["state"] == "rejected"
    assert pipeline.batch(outcome["batch_id"])["rejection"]["code"] == "FILE_FORMAT_UNSUPPORTED"


def test_all_rows_invalid_rejected(pipeline: LocalPipeline) -> None:
    outcome = pipeline.upload_export(_csv(["Nguyễn Văn An,01/01/1990,Nam,12345,000.00.01.H46,Kinh"]), "loi.csv")
    assert outcome["state"] == "rejected"
    assert pipeline.batch(outcome["batch_id"])["rejection"]["code"] == "NO_VALID_RECORDS"
    findings = _findings(pipeline, outcome["batch_id"])
    codes = {(finding["row"], finding["column"], finding["code"]) for finding in findings}
    assert (2, "D", "PID_FORMAT") in codes


def test_unregistered_agency_ignored(pipeline: LocalPipeline) -> None:
    key = "incoming/XYZ/danh-sach.csv"
    results = pipeline.dispatcher.upload(key, b"x")
    assert results[0]["batches"][0]["state"] == "ignored"
    assert pipeline.state.get_agency("XYZ") is None
    note = json.loads(pipeline.store.get("rejections/XYZ/danh-sach.csv.json"))
    assert note["code"] == "AGENCY_UNKNOWN"


def test_population_service_down(pipeline: LocalPipeline) -> None:
    pipeline.emulator.add_faults([{"path_prefix": "/population/", "kind": "status", "status": 503, "count": 100}])
    person = _first_person(pipeline)
    data = _csv([_row_for(person)])
    outcome = pipeline.upload_export(data, "dan-cu-loi.csv")
    assert outcome["state"] == "rejected"
    assert pipeline.batch(outcome["batch_id"])["rejection"]["code"] == "POPULATION_SERVICE_DOWN"
    codes = [finding["code"] for finding in _findings(pipeline, outcome["batch_id"])]
    assert codes == ["POPULATION_SERVICE_DOWN", "POPULATION_UNAVAILABLE"]

    # Once the register is back, the same bytes uploaded again are checked again.
    pipeline.emulator.clear_faults()
    again = pipeline.upload_export(data, "dan-cu-loi.csv")
    assert again["batch_id"] == outcome["batch_id"]
    assert again["state"] == "validated"
    assert again["valid"] == 1
    agency = pipeline.state.get_agency("H46") or {}
    assert agency["batches_rejected"] == 0


def test_renamed_file_checked_again(pipeline: LocalPipeline) -> None:
    data = SAMPLE_EXPORT.read_bytes()
    wrong = pipeline.upload_export(data, "danh-sach.xlxs")
    assert pipeline.batch(wrong["batch_id"])["rejection"]["code"] == "FILE_FORMAT_UNSUPPORTED"
    fixed = pipeline.upload_export(data, "danh-sach.xlsx")
    assert fixed["batch_id"] == wrong["batch_id"]
    assert fixed["state"] == "validated"
    assert pipeline.batch(fixed["batch_id"])["file_name"] == "danh-sach.xlsx"


def test_repeated_event_of_rejected_upload_ignored(pipeline: LocalPipeline) -> None:
    outcome = pipeline.upload_export(b"a,b,c\r\n1,2,3\r\n", "la.csv")
    again = pipeline.redeliver_upload_event("la.csv")
    assert again["duplicate_event"] is True
    assert again["state"] == "rejected"
    assert pipeline.batch(outcome["batch_id"]).get("attempt") is None


def test_lowercase_agency_folder_accepted(pipeline: LocalPipeline) -> None:
    person = _first_person(pipeline)
    results = pipeline.dispatcher.upload("incoming/h46/thu.csv", _csv([_row_for(person)]))
    (outcome,) = results[0]["batches"]
    assert outcome["state"] == "validated"
    assert outcome["batch_id"].startswith("H46-")


def test_canned_s3_event_decodes_key(pipeline: LocalPipeline) -> None:
    """The handler gets the URL-encoded key S3 sends and finds the object under its decoded name."""
    key = f"incoming/H46/{SAMPLE_EXPORT.name}"
    pipeline.store.put(key, SAMPLE_EXPORT.read_bytes())
    event = copy.deepcopy(load_event("s3-put-incoming.json"))
    event["Records"][0]["s3"]["bucket"]["name"] = pipeline.stack.bucket
    result = pipeline.dispatcher.invoke("ValidateFunction", event)
    (outcome,) = result["batches"]
    assert outcome["state"] == "validated"
    assert pipeline.batch(outcome["batch_id"])["source_key"] == key


def test_expired_manifest_renewed_by_upload(pipeline: LocalPipeline) -> None:
    data = SAMPLE_EXPORT.read_bytes()
    first = pipeline.upload_export(data, SAMPLE_EXPORT.name)
    old_manifest = pipeline.manifest(first["batch_id"])
    # The approver waited too long: the manifest's validity ended before anyone signed.
    pipeline.state.update_batch(first["batch_id"], {"manifest_expires_at": "2026-01-01T00:00:00+00:00"})
    again = pipeline.upload_export(data, SAMPLE_EXPORT.name)
    assert again["batch_id"] == first["batch_id"]
    assert again["state"] == "validated"
    assert again["duplicate_event"] is False
    new_manifest = pipeline.manifest(first["batch_id"])
    assert new_manifest != old_manifest
    assert pipeline.sign_and_upload(first["batch_id"])["state"] == "approved"


def test_live_manifest_not_renewed(pipeline: LocalPipeline) -> None:
    data = SAMPLE_EXPORT.read_bytes()
    first = pipeline.upload_export(data, SAMPLE_EXPORT.name)
    manifest = pipeline.manifest(first["batch_id"])
    again = pipeline.upload_export(data, SAMPLE_EXPORT.name)
    assert again["duplicate_event"] is True
    assert pipeline.manifest(first["batch_id"]) == manifest


def test_fullwidth_id_matched_and_staged(pipeline: LocalPipeline, tmp_path: Path) -> None:
    person = _first_person(pipeline)
    fullwidth = person["personal_id"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    outcome = pipeline.upload_export(_csv([_row_for({**person, "personal_id": fullwidth})]), "toan-kho.csv")
    assert outcome["state"] == "validated"
    assert outcome["valid"] == 1
    codes = [finding["code"] for finding in _findings(pipeline, outcome["batch_id"])]
    assert codes == ["PID_DIGITS_CONVERTED"]
    assert person["personal_id"] not in (tmp_path / "lambda.log").read_text(encoding="utf-8")


def test_record_without_query_fields_blocked(pipeline: LocalPipeline, tmp_path: Path) -> None:
    # An agency that configured MANDATORY_FIELDS without the name sends a file without that column.
    environment = pipeline.stack.environments["ValidateFunction"]
    environment["MANDATORY_FIELDS"] = "personal_id,birth_date,gender,unit_code"
    runtime.reset()
    try:
        person = _first_person(pipeline)
        row = _row_for(person).split(",", 1)[1]
        header = HEADER.split(",", 1)[1]
        outcome = pipeline.upload_export(_csv([row], header=header), "thieu-ten.csv")
    finally:
        del environment["MANDATORY_FIELDS"]
        runtime.reset()
    assert outcome["state"] == "rejected"
    assert pipeline.batch(outcome["batch_id"])["rejection"]["code"] == "NO_VALID_RECORDS"
    findings = [finding for finding in _findings(pipeline, outcome["batch_id"])
                if finding["code"] == "POPULATION_QUERY_INVALID"]
    assert [(finding["row"], finding["severity"]) for finding in findings] == [(2, "error")]
    assert "Họ và tên" in findings[0]["message"]
    log = (tmp_path / "lambda.log").read_text(encoding="utf-8")
    assert "population_query_invalid" in log
    assert person["personal_id"] not in log
