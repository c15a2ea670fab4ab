"""Read ``template.yaml`` so the local stack creates resources under the names it declares.

Only what the local stack needs is resolved: ``!Ref``, ``!Sub`` and ``!GetAtt`` over the
stack's own resources, parameters and the pseudo parameters AWS::StackName, AWS::AccountId,
AWS::Region and AWS::Partition.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_PATH = REPOSITORY_ROOT / "template.yaml"


class _TemplateLoader(yaml.SafeLoader):
    """A YAML loader that turns CloudFormation short tags (!Ref, !Sub…) into their long forms."""


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_TemplateLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=_TemplateLoader)  # noqa: S506 - SafeLoader subclass
    return document


@dataclass
class TemplateResolver:
    """Resolves intrinsic functions against the physical ids the local stack created."""

    stack_name: str
    account_id: str
    region: str
    parameters: Mapping[str, str]
    # Logical id → physical id (the value of !Ref), and (logical id, attribute) → value.
    refs: dict[str, str]
    attributes: dict[tuple[str, str], str]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            (name, argument), = value.items()
            handler = self._handlers().get(name)
            if handler is not None:
                return handler(argument)
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value

    def _handlers(self) -> dict[str, Callable[[Any], Any]]:
        return {"Ref": self._ref, "Fn::Sub": self._sub, "Fn::GetAtt": self._get_att}

    def _pseudo(self) -> dict[str, str]:
        return {"AWS::StackName": self.stack_name, "AWS::AccountId": self.account_id, "AWS::Region": self.region,
                "AWS::Partition": "aws"}

    def _ref(self, name: str) -> str:
        pseudo = self._pseudo()
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.refs:
            return self.refs[name]
        raise KeyError(f"!Ref {name} cannot be resolved locally")

    def _sub(self, argument: Any) -> str:
        text = argument if isinstance(argument, str) else argument[0]
        extra = {} if isinstance(argument, str) else {key: self.resolve(item) for key, item in argument[1].items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in extra:
                return str(extra[name])
            if "." in name and not name.startswith("AWS::"):
                resource, attribute = name.split(".", 1)
                return self._get_att([resource, attribute])
            return self._ref(name)

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def _get_att(self, argument: list[str]) -> str:
        key = (argument[0], argument[1])
        if key not in self.attributes:
            raise KeyError(f"!GetAtt {'.'.join(argument)} cannot be resolved locally")
        return self.attributes[key]


def function_definitions(template: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Return logical id → properties of every AWS::Serverless::Function."""
    return {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def function_environment(template: Mapping[str, Any], logical_id: str, resolver: TemplateResolver) -> dict[str, str]:
    """Return the resolved environment of one function: Globals first, then its own variables."""
    global_variables = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    own = template["Resources"][logical_id]["Properties"].get("Environment", {}).get("Variables", {})
    merged = {**global_variables, **own}
    return {name: str(resolver.resolve(value)) for name, value in merged.items()}
