"""Fixtures shared by the integration and end-to-end tests: the demo PKI and the local pipeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cbccvc_local.pipeline import (
    DEFAULT_AGENCY_NAME,
    SAMPLES,
    LocalPipeline,
    load_sample_population,
    load_sample_units,
    running_pipeline,
)
from cbccvc_local.pki import DemoPki, ensure_demo_pki

EVENTS = Path(__file__).parent / "events"


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return ensure_demo_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def pipeline(demo_pki: DemoPki, tmp_path: Path) -> Iterator[LocalPipeline]:
    """The local pipeline with the sample agency, its units, the demo approver and the sample register."""
    with running_pipeline(population=load_sample_population(), pki_directory=demo_pki.directory,
                          log_path=tmp_path / "lambda.log") as running:
        running.register_agency(DEFAULT_AGENCY_NAME, load_sample_units())
        running.trust_demo_pki()
        yield running


@pytest.fixture(scope="session")
def sample_faults() -> list[dict[str, Any]]:
    faults: list[dict[str, Any]] = json.loads((SAMPLES / "faults.json").read_text(encoding="utf-8"))
    return faults


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event
