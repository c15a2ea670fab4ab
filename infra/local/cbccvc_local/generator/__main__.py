"""Command line: write a synthetic export and its companion files into a folder.

python -m cbccvc_local.generator --rows 300 --seed 2025 --out DIR [--format xlsx|csv]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from cbccvc_local.generator.generate import (
    DEFAULT_AGENCY_CODE,
    DEFAULT_AGENCY_NAME,
    DEFAULT_FAULT_RATE,
    DEFAULT_PROVINCE_CODE,
    generate_export,
)

DEFAULT_FILE_STEM = "Danh sách CBCCVC mẫu"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cbccvc_local.generator",
        description="Write a synthetic CBCCVC export with planted faults, its population register "
        "(population.json), the planted faults (faults.json) and the org units (units.csv).",
    )
    parser.add_argument("--rows", type=int, required=True, help="number of staff records")
    parser.add_argument("--seed", type=int, required=True, help="random seed; the same seed gives the same files")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="export file format")
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=DEFAULT_FAULT_RATE,
        help="share of rows with a planted fault, 0..1 (default %(default)s)",
    )
    parser.add_argument("--name", default=DEFAULT_FILE_STEM, help="export file name without extension")
    parser.add_argument("--agency-code", default=DEFAULT_AGENCY_CODE, help="agency code (default %(default)s)")
    parser.add_argument("--agency-name", default=DEFAULT_AGENCY_NAME, help="agency name in the title row")
    parser.add_argument(
        "--province-code",
        default=DEFAULT_PROVINCE_CODE,
        help="2-digit 2025 province code of the agency (default %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the files and print their paths, one per line."""
    args = _parser().parse_args(argv)
    export = generate_export(
        seed=args.seed,
        rows=args.rows,
        agency_code=args.agency_code,
        agency_name=args.agency_name,
        fault_rate=args.fault_rate,
        province_code=args.province_code,
    )
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    export_path = out / f"{args.name}.{args.format}"
    if args.format == "xlsx":
        export.write_xlsx(export_path)
    else:
        export.write_csv(export_path)
    written = (
        export_path,
        export.write_faults(out / "faults.json", file_format=args.format),
        export.write_population(out / "population.json"),
        export.write_units(out / "units.csv"),
    )
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
