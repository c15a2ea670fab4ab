"""template.yaml and the settings models agree: every stage can start from its template environment."""

from __future__ import annotations

import pytest

from cbccvc.config import ApproveSettings, ReportSettings, SyncSettings, ValidateSettings
from cbccvc_local.stack import ACCOUNT_ID, LOCAL_PARAMETERS, REGION, STACK_NAME
from cbccvc_local.template import TemplateResolver, function_definitions, function_environment, load_template

SETTINGS = {
    "ValidateFunction": ValidateSettings,
    "ApproveFunction": ApproveSettings,
    "SyncFunction": SyncSettings,
    "DailyReportFunction": ReportSettings,
}


@pytest.fixture(scope="module")
def template() -> dict[str, object]:
    return load_template()


@pytest.fixture(scope="module")
def resolver(template: dict[str, object]) -> TemplateResolver:
    parameters = {name: str(spec.get("Default", "")) for name, spec in template["Parameters"].items()}
    parameters.update(LOCAL_PARAMETERS)
    refs = {"StateTable": "table", "SyncQueue": "https://queue", "PersonIdKey": "key-id", "IntakeBucket": "bucket",
            "DataKey": "data-key", "SyncDeadLetterQueue": "https://dlq", "SealKey": "seal-key-id"}
    attributes = {("SyncQueue", "Arn"): "arn:queue", ("SyncQueue", "QueueName"): "queue"}
    return TemplateResolver(stack_name=STACK_NAME, account_id=ACCOUNT_ID, region=REGION, parameters=parameters,
                            refs=refs, attributes=attributes)


def test_every_function_has_settings(template: dict[str, object]) -> None:
    assert set(function_definitions(template)) == set(SETTINGS)


@pytest.mark.parametrize("logical_id", sorted(SETTINGS))
def test_settings_load_from_template(template: dict[str, object], resolver: TemplateResolver,
                                     logical_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in function_environment(template, logical_id, resolver).items():
        monkeypatch.setenv(name, value)
    settings = SETTINGS[logical_id]()
    assert settings.table_name == f"{STACK_NAME}-state"
    assert settings.bucket_name == f"{STACK_NAME}-intake-{ACCOUNT_ID}"


def test_missing_variable_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABLE_NAME", raising=False)
    monkeypatch.setenv("BUCKET_NAME", "bucket")
    with pytest.raises(ValueError, match="table_name"):
        ReportSettings()


def test_mandatory_fields_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"BUCKET_NAME": "bucket", "TABLE_NAME": "table", "PERSON_KEY_ID": "key",
                        "POPULATION_API_SECRET_ID": "secret", "POPULATION_AGENCY_ID": "000.00.00.H46",
                        "MANDATORY_FIELDS": "personal_id, full_name,unit_code"}.items():
        monkeypatch.setenv(name, value)
    assert ValidateSettings().mandatory_fields == ("personal_id", "full_name", "unit_code")


def test_unknown_mandatory_field_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"BUCKET_NAME": "bucket", "TABLE_NAME": "table", "PERSON_KEY_ID": "key",
                        "POPULATION_API_SECRET_ID": "secret", "POPULATION_AGENCY_ID": "000.00.00.H46",
                        "MANDATORY_FIELDS": "personal_id,shoe_size"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match="shoe_size"):
        ValidateSettings()


def test_schedule_is_seven_in_vietnam(template: dict[str, object]) -> None:
    events = template["Resources"]["DailyReportFunction"]["Properties"]["Events"]
    schedule = events["Daily"]["Properties"]
    assert schedule["ScheduleExpression"] == "cron(0 7 * * ? *)"
    assert schedule["ScheduleExpressionTimezone"] == "Asia/Ho_Chi_Minh"
