"""A local sandbox an agency officer can try the whole workflow in, with a folder standing in for the bucket.

``make sandbox`` starts the local pipeline (moto, the emulator, the demo PKI) and keeps it
running until Ctrl+C. A folder (``.local/sandbox`` by default) mirrors the intake bucket:

- a file dropped under ``incoming/<agency>/`` is uploaded and validated;
- the reports, manifest, rejection notes and daily reports the functions write appear under
  ``batches/``, ``rejections/`` and ``reports/`` in the same folder;
- a signature (``cbccvc sign manifest.json --p12 …``) dropped under
  ``approvals/<agency>/<batch>/`` is uploaded and decided, and an approved batch is synced;
- after each sync the daily report is written again.

Each pass uploads the files that are new or changed since the last pass (by size and
modification time), delivers the queued sync messages, and copies back the objects that are
new or changed (by ETag). The sample agency and units are registered and the demo approver is
trusted. When none of the people in a dropped file is in the sample register, they are added
to it from the file, as ``make demo FILE=…`` does, so population matching is simulated for them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbccvc.cli.translation import translate_argparse
from cbccvc.intake.readers import UnreadableFileError
from cbccvc.messages import label, render
from cbccvc_local.pipeline import (
    DEFAULT_AGENCY_CODE,
    DEFAULT_AGENCY_NAME,
    LOCAL_DIRECTORY,
    LocalPipeline,
    load_sample_population,
    load_sample_units,
    running_pipeline,
)
from cbccvc_local.seeding import population_from_export, units_from_export

DEFAULT_FOLDER = LOCAL_DIRECTORY / "sandbox"
# Folders the officer writes to, uploaded to the bucket; and folders the functions write to, copied back.
UPLOADED_PREFIXES = ("incoming/", "approvals/")
DOWNLOADED_PREFIXES = ("batches/", "rejections/", "reports/")


def say(code: str, **params: Any) -> None:
    # The pipeline sends stdout to its log file while it runs, so the sandbox writes to the terminal directly.
    print(render(code, **params), file=sys.__stdout__, flush=True)


@dataclass
class Sandbox:
    """One folder kept in step with the local bucket; ``tick`` does one pass."""

    pipeline: LocalPipeline
    folder: Path
    # A file is uploaded once it has not changed for this long, so a slow copy is not read half-written.
    settle_seconds: float = 2.0
    uploaded: dict[str, tuple[int, int]] = field(default_factory=dict)
    downloaded: dict[str, str] = field(default_factory=dict)
    # IDs this sandbox added to the register from dropped files.
    simulated: set[str] = field(default_factory=set)

    def prepare(self) -> None:
        for prefix in UPLOADED_PREFIXES:
            (self.folder / prefix / self.pipeline.agency_code).mkdir(parents=True, exist_ok=True)
        # Files left from an earlier run are old news: only what changes from now on is uploaded.
        for key, stamp in self._local_files():
            self.uploaded[key] = stamp

    def tick(self) -> int:
        """Upload new or changed files, run the queue, copy results back; return how many files moved."""
        moved = 0
        now = time.time_ns()
        for key, stamp in self._local_files():
            if self.uploaded.get(key) == stamp or now - stamp[1] < self.settle_seconds * 1e9:
                continue
            self.uploaded[key] = stamp
            self._upload(key)
            moved += 1
        if self.pipeline.run_sync():
            self.pipeline.fire_daily_report()
            say("sandbox.synced")
        moved += self._download()
        return moved

    def _local_files(self) -> Iterator[tuple[str, tuple[int, int]]]:
        for prefix in UPLOADED_PREFIXES:
            root = self.folder / prefix
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith((".", "~$")):
                    stat = path.stat()
                    yield path.relative_to(self.folder).as_posix(), (stat.st_size, stat.st_mtime_ns)

    def _upload(self, key: str) -> None:
        data = (self.folder / key).read_bytes()
        if key.startswith("incoming/"):
            self._simulate_register(data, key.rsplit("/", 1)[-1])
        results = self.pipeline.dispatcher.upload(key, data)
        for result in results:
            for outcome in result.get("batches", []) + result.get("approvals", []):
                say("sandbox.uploaded", key=key, batch=outcome.get("batch_id") or "-",
                    state=_state_text(outcome.get("state")))
                if outcome.get("reason_code") or outcome.get("state") == "ignored":
                    # The upload changed nothing (a repeat, a signature for a decided batch).
                    # Its notice gives the reason.
                    say("sandbox.not_considered", reason=outcome.get("reason_code") or "-")
        if not any(result.get("batches") or result.get("approvals") for result in results):
            say("sandbox.uploaded", key=key, batch="-", state="-")

    def _simulate_register(self, data: bytes, file_name: str) -> None:
        """Add the file's people and unit codes to the register and the agency's units, as the demo does.

        A file with people already in the register (the bundled sample) is matched for real: its
        people missing from the register and its unknown unit codes are planted faults.
        """
        try:
            people = population_from_export(data, file_name)
            units = units_from_export(data, file_name)
        except UnreadableFileError:
            return  # the validate function rejects the file with its reason
        known = {person["personal_id"] for person in self.pipeline.emulator.store.dump()["population"]}
        if any(person["personal_id"] in known - self.simulated for person in people):
            return
        added = [person for person in people if person["personal_id"] not in known]
        if not added:
            return
        self.pipeline.emulator.seed_population(added, replace=False)
        self.simulated.update(person["personal_id"] for person in added)
        say("sandbox.register_simulated", count=len(added))
        known_units = self.pipeline.state.get_org_units(self.pipeline.agency_code)
        new_units = [unit for unit in units if unit["code"] not in known_units]
        if new_units:
            self.pipeline.state.put_org_units(self.pipeline.agency_code, new_units)

    def _download(self) -> int:
        client = self.pipeline.stack.client("s3")
        moved = 0
        for prefix in DOWNLOADED_PREFIXES:
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.pipeline.stack.bucket,
                                                                          Prefix=prefix):
                for item in page.get("Contents", []):
                    key, etag = item["Key"], item["ETag"]
                    if self.downloaded.get(key) == etag:
                        continue
                    target = self.folder / key
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(self.pipeline.store.get(key))
                    self.downloaded[key] = etag
                    moved += 1
        return moved


def _state_text(state: str | None) -> str:
    """Word a batch state for the officer; a state the catalog does not name is shown as it is."""
    try:
        return render(f"state.{state}")
    except KeyError:
        return state or "-"


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    translate_argparse()
    parser = argparse.ArgumentParser(prog=".venv/bin/python -m cbccvc_local.sandbox",
                                     description=render("sandbox.description"))
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, metavar=label("metavar.folder"),
                        help=render("sandbox.option_folder"))
    parser.add_argument("--interval", type=float, default=1.0, metavar=label("metavar.seconds"),
                        help=render("sandbox.option_interval"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    folder: Path = arguments.folder
    folder.mkdir(parents=True, exist_ok=True)
    population = load_sample_population()
    with running_pipeline(agency_code=DEFAULT_AGENCY_CODE, population=population,
                          log_path=folder / "lambda.log") as pipeline:
        pipeline.register_agency(DEFAULT_AGENCY_NAME, load_sample_units())
        pipeline.trust_demo_pki()
        sandbox = Sandbox(pipeline, folder)
        sandbox.prepare()
        say("sandbox.started", folder=folder.resolve(), agency=pipeline.agency_code,
            cbccvc=Path(sys.executable).parent / "cbccvc", p12=pipeline.pki.approver_p12,
            password=pipeline.pki.password)
        try:
            while True:
                sandbox.tick()
                time.sleep(arguments.interval)
        except KeyboardInterrupt:
            say("sandbox.stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
