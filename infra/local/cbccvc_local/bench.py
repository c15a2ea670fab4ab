"""``make bench``: time and memory of the validate stage on a generated export, against references.

For each file format (.xlsx and .csv, the same 100,000 generated rows) the benchmark measures,
each in a fresh Python process so peak memory is that measurement's own:

- ``read``: only reading the file (python-calamine's ``to_python`` for .xlsx, the csv module
  for .csv), the floor any validator pays;
- ``stage``: the whole validate stage as the Lambda runs it: read, normalise, every rule,
  file-level checks, the staged records file and its SHA-256, and the JSON and XLSX reports.
  The population match is an HTTP call and is left out. It calls the functions the Lambda
  calls: ``read_checked_export``, ``check_tables``, ``prepare_outputs``;
- ``stage+annotated``: the same, plus the annotated copy of the agency's workbook;
- ``frictionless`` and ``pandera``: the references in ``bench_references``.

Before the clock starts, every measurement runs once on a small export of the same format
(``WARM_UP_ROWS`` rows), as a warm Lambda container has handled a file before: imports,
catalogs (communes, ethnic groups, ranks), polars' thread pool and compiled patterns are then
in place, for the references as for the stage.

It prints a Markdown table (wall time, rows per second, peak RSS) and the ratios the targets
are stated in, and with ``--write`` replaces the results section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cbccvc_local.template import REPOSITORY_ROOT

BENCH_DIRECTORY = REPOSITORY_ROOT / ".local" / "bench"
DOCUMENT = REPOSITORY_ROOT / "docs" / "benchmarks.md"
RESULTS_MARKER = "<!-- results -->"
KINDS = ("read", "stage", "stage+annotated", "pandera", "frictionless")
FORMATS = ("xlsx", "csv")
# Rows of the export each measurement handles once before it is timed.
WARM_UP_ROWS = 500


def prepare_inputs(rows: int, seed: int) -> Path:
    """Generate the export, and a small one to warm up on, in both formats once; later runs reuse the files."""
    directory = BENCH_DIRECTORY / f"rows-{rows}-seed-{seed}"
    for file_format in FORMATS:
        for name, count, out in (("export", rows, directory), ("warm-up", WARM_UP_ROWS, directory / "warm-up")):
            if not (out / f"{name}.{file_format}").exists():
                subprocess.run(  # noqa: S603 - runs this interpreter on the project's own generator
                    [sys.executable, "-m", "cbccvc_local.generator", "--rows", str(count), "--seed", str(seed),
                     "--out", str(out), "--format", file_format, "--name", name],
                    check=True, stdout=subprocess.DEVNULL,
                )
    return directory


def warm_up_path(path: Path) -> Path:
    """Return the small export of the same format as ``path``, generated beside it."""
    return path.parent / "warm-up" / f"warm-up{path.suffix}"


def measure(kind: str, path: Path, units_path: Path) -> dict[str, Any]:
    """Run one measurement in this process and return its figures (called in a child process).

    A small export of the same format is handled first, as a warm Lambda container has done,
    so the time is the work on the file alone. Peak memory includes the interpreter, the
    imports and that first run.
    """
    work = _prepare(kind)
    work(warm_up_path(path), units_path)
    started = time.perf_counter()
    rows = work(path, units_path)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"kind": kind, "format": path.suffix.lstrip("."), "rows": rows, "seconds": round(seconds, 3),
            "peak_mib": round(peak_kib / 1024)}


def _prepare(kind: str) -> Callable[[Path, Path], int]:
    if kind == "read":
        import python_calamine  # noqa: F401, PLC0415 - loaded before timing

        return _read_only
    if kind in {"stage", "stage+annotated"}:
        import cbccvc.reporting.annotated_workbook  # noqa: F401, PLC0415 - loaded before timing
        from cbccvc.validation import engine  # noqa: PLC0415

        engine.load_catalogs()
        return _validate_stage if kind == "stage" else _validate_stage_annotated
    from cbccvc_local import bench_references  # noqa: PLC0415 - imports benchmark-only packages

    if kind == "pandera":
        import pandera.polars  # noqa: F401, PLC0415

        return bench_references.run_pandera
    if kind == "frictionless":
        import frictionless  # noqa: F401, PLC0415

        return bench_references.run_frictionless
    raise ValueError(f"unknown benchmark kind {kind!r}")


def _read_only(path: Path, units_path: Path) -> int:
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        import python_calamine  # noqa: PLC0415

        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return len(workbook.get_sheet_by_index(0).to_python())
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _validate_stage(path: Path, units_path: Path) -> int:
    return _run_stage(path, units_path, annotated=False)


def _validate_stage_annotated(path: Path, units_path: Path) -> int:
    return _run_stage(path, units_path, annotated=True)


def _run_stage(path: Path, units_path: Path, *, annotated: bool) -> int:
    """Run the validate stage's own functions on the file (the unit list is read inside the clock too)."""
    from cbccvc.intake.units import read_units  # noqa: PLC0415
    from cbccvc.reporting.annotated_workbook import build_annotated_workbook  # noqa: PLC0415
    from cbccvc.schema import DEFAULT_MANDATORY_FIELDS  # noqa: PLC0415
    from cbccvc.validation import service  # noqa: PLC0415

    units = frozenset(unit["code"] for unit in read_units(units_path.read_bytes(), units_path.name))
    options = service.ValidateOptions(mandatory_fields=DEFAULT_MANDATORY_FIELDS, max_rows=10_000_000,
                                      manifest_validity=timedelta(days=14))
    data = path.read_bytes()
    tables = service.read_checked_export(data, path.name, options)
    results = service.check_tables(tables, agency_code="H46", options=options, org_units=units)
    outputs = service.prepare_outputs(results, batch_id="H46-bench", agency_code="H46", file_name=path.name,
                                      generated_at=datetime.now(UTC).isoformat())
    if not outputs.records_sha256 or not outputs.report_xlsx:
        raise RuntimeError("the stage wrote no staged records or no report")
    if annotated and build_annotated_workbook(data, path.name, outputs.report.findings, tables=tables) is None:
        raise RuntimeError("the annotated copy was not written")
    return outputs.rows


def run_all(directory: Path, kinds: Sequence[str]) -> list[dict[str, Any]]:
    results = []
    units_path = directory / "units.csv"
    for file_format in FORMATS:
        path = directory / f"export.{file_format}"
        for kind in kinds:
            completed = subprocess.run(  # noqa: S603 - this interpreter, this module
                [sys.executable, "-m", "cbccvc_local.bench", "--measure", kind, str(path), str(units_path)],
                check=True, capture_output=True, text=True,
            )
            result = json.loads(completed.stdout.strip().splitlines()[-1])
            print(f"  {file_format:5} {kind:16} {result['seconds']:8.2f} s  {result['peak_mib']:6d} MiB",
                  file=sys.stderr, flush=True)
            results.append(result)
    return results


def render(results: Sequence[dict[str, Any]], rows: int, seed: int) -> str:
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {rows:,} generated rows (seed {seed}), "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs "
        f"({_cpu_model()}).",
        "",
        "| Format | Measurement | Wall time (s) | Rows per second | Peak RSS (MiB) |",
        "|---|---|---:|---:|---:|",
    ]
    for result in results:
        rate = rows / result["seconds"] if result["seconds"] else 0
        lines.append(f"| {result['format']} | {result['kind']} | {result['seconds']:.2f} | {rate:,.0f} | "
                     f"{result['peak_mib']} |")
    lines += ["", "| Format | stage ÷ read (target ≤ 1.5) | stage ÷ pandera (target < 1) | "
              "frictionless ÷ stage (target ≥ 10) |", "|---|---:|---:|---:|"]
    for file_format in FORMATS:
        by_kind = {result["kind"]: result["seconds"] for result in results if result["format"] == file_format}
        stage = by_kind.get("stage")
        if not stage:
            continue
        ratios = [
            f"{stage / by_kind['read']:.2f}" if by_kind.get("read") else "-",
            f"{stage / by_kind['pandera']:.2f}" if by_kind.get("pandera") else "-",
            f"{by_kind['frictionless'] / stage:.1f}" if by_kind.get("frictionless") else "-",
        ]
        lines.append(f"| {file_format} | {' | '.join(ratios)} |")
    return "\n".join(lines) + "\n"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write_document(table: str) -> None:
    text = DOCUMENT.read_text(encoding="utf-8")
    head = text.split(RESULTS_MARKER, 1)[0]
    DOCUMENT.write_text(f"{head}{RESULTS_MARKER}\n\n{table}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description="Benchmark the validate stage.")
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the generated export")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated measurements to run")
    parser.add_argument("--write", action="store_true", help="write the results into docs/benchmarks.md")
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "FILE", "UNITS"), help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)

    if arguments.measure:
        kind, path, units = arguments.measure
        print(json.dumps(measure(kind, Path(path), Path(units))))
        return 0

    directory = prepare_inputs(arguments.rows, arguments.seed)
    results = run_all(directory, [kind.strip() for kind in arguments.kinds.split(",") if kind.strip()])
    table = render(results, arguments.rows, arguments.seed)
    print(table)
    if arguments.write:
        write_document(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
