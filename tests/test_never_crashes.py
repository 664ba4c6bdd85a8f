"""Whatever a person does to a definitions file, `leadspec check` answers with diagnostics.

Random edits of the bundled definitions (keys deleted, values replaced by values
of other kinds, entries duplicated) must never end in an internal error.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from leadspec.api import load
from leadspec.config import Config

BUNDLED = {p.name: yaml.safe_load(p.read_text()) for p in sorted((REPO / "definitions").glob("*.yaml"))}

ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.text(max_size=12),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["id", "label", "to", "when", "x"]), st.text(max_size=5), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _parent(root: Any, path: tuple[Any, ...]) -> Any:
    node = root
    for key in path[:-1]:
        node = node[key]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    files = copy.deepcopy(BUNDLED)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        paths = _paths(files[name])
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        parent = _parent(files[name], path)
        action = draw(st.sampled_from(["delete", "replace", "duplicate"]))
        key = path[-1]
        if action == "delete":
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        elif action == "replace":
            parent[key] = draw(ODD_VALUES)
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[f"{key}_copy" if isinstance(key, str) else key] = copy.deepcopy(parent[key])
    return files


def _dump(value: Any) -> str:
    def plain(node: Any) -> Any:
        if isinstance(node, Decimal):
            return float(node)
        if isinstance(node, dict):
            return {str(k): plain(v) for k, v in node.items()}
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node

    return yaml.safe_dump(plain(value), sort_keys=False, allow_unicode=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=mutated())
def test_random_edits_never_crash(files: dict[str, Any], tmp_path_factory: Any) -> None:
    folder: Path = tmp_path_factory.mktemp("defs")
    for name, data in files.items():
        (folder / name).write_text(_dump(data), encoding="utf-8")
    report = load([folder], Config(root=folder)).report
    for item in report.diagnostics:
        assert item.message
        assert item.span is None or item.span.line >= 1
