"""Check JSON bodies against a schema of the product's OpenAPI contracts in ``infra/openapi/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

OPENAPI_DIR = Path(__file__).resolve().parents[1] / "infra" / "openapi"


@cache
def load_contract(name: str) -> dict[str, Any]:
    """Return the parsed OpenAPI document ``infra/openapi/{name}.yaml``."""
    with (OPENAPI_DIR / f"{name}.yaml").open(encoding="utf-8") as file:
        document: dict[str, Any] = yaml.safe_load(file)
    return document


def schema_errors(contract: str, schema_name: str, instance: Any) -> list[str]:
    """Return the violations of ``components.schemas[schema_name]`` by ``instance`` (empty if valid).

    OpenAPI 3.1 schemas are JSON Schema 2020-12, so a validator rooted at the whole document
    resolves the ``#/components/...`` references.
    """
    document = load_contract(contract)
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    validator = Draft202012Validator(root)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(instance)]
