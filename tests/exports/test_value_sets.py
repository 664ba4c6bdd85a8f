"""The value sets of a model: worked out once per model, never another model's."""

from __future__ import annotations

from pathlib import Path

from leadspec.api import load
from leadspec.config import Config
from leadspec.exports.picklists import value_sets

DEFINITIONS = """\
leadspec: 1
picklists:
  reason:
    label: Reason
    values:
      - {{id: budget, label: {label}, api_name: Budget}}
"""


def model_with(tmp_path: Path, label: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / label
    folder.mkdir()
    (folder / "picklists.yaml").write_text(DEFINITIONS.format(label=label), encoding="utf-8")
    return load([folder], Config(root=folder)).model


def labels(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [value.label for value_set in value_sets(model) for value in value_set.values]


def test_each_model_gets_its_own_value_sets_however_the_calls_alternate(tmp_path: Path) -> None:
    first, second = model_with(tmp_path, "First"), model_with(tmp_path, "Second")
    assert labels(first) == ["First"]
    assert labels(second) == ["Second"]
    assert labels(first) == ["First"]  # not the sets kept for the model asked before


def test_a_caller_changing_its_list_does_not_change_the_next_callers(tmp_path: Path) -> None:
    model = model_with(tmp_path, "Only")
    value_sets(model).clear()
    assert labels(model) == ["Only"]
