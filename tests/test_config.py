"""[tool.leadspec] settings: what a team writes in pyproject.toml changes what is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadspec.config import ConfigError, load_config
from leadspec.diagnostics import Severity


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_settings_are_read(tmp_path: Path) -> None:
    config = load_config(
        _write(
            tmp_path,
            """
[tool.leadspec]
paths = ["lifecycle"]
select = ["LS2", "LS3"]
ignore = ["LS205"]
severity = { LS203 = "error", LS2 = "warning" }
per-path-ignores = { "lifecycle/legacy/*.yaml" = ["LS212"] }
""",
        )
    )
    assert config.paths == ("lifecycle",)
    assert config.enabled("LS202", "lifecycle/sales.yaml")
    assert not config.enabled("LS101", "lifecycle/sales.yaml")  # not selected
    assert not config.enabled("LS205", "lifecycle/sales.yaml")  # ignored
    assert not config.enabled("LS212", "lifecycle/legacy/old.yaml")
    assert config.enabled("LS212", "lifecycle/new.yaml")
    # The most specific prefix wins.
    assert config.severity_of("LS203", Severity.WARNING) is Severity.ERROR
    assert config.severity_of("LS207", Severity.ERROR) is Severity.WARNING
    assert config.severity_of("LS301", Severity.ERROR) is Severity.ERROR


def test_no_pyproject_means_defaults(tmp_path: Path) -> None:
    config = load_config(start=tmp_path / "nowhere")
    assert config.paths == ("definitions",)
    assert config.enabled("LS101", None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[tool.leadspec]\nselct = ["LS2"]\n', "unknown setting `selct` (did you mean `select`?)"),
        ('[tool.leadspec]\nignore = ["LS999"]\n', "'LS999', which is no leadspec code"),
        ('[tool.leadspec]\nseverity = { LS203 = "fatal" }\n', 'must be "error", "warning" or "info"'),
        ("[tool.leadspec]\npaths = \"definitions\"\n", "`paths` must be a list of strings"),
        ("[tool.leadspec\n", "not valid TOML"),
        ('[tool.leadspec]\nper-path-ignores = { "x/*.yaml" = "LS205" }\n', "must be a list of codes"),
        (
            '[tool.leadspec]\nexports = ["dynamcs"]\n',
            "`exports` names 'dynamcs', which `leadspec export` does not write; did you mean `dynamics`?",
        ),
        ('[tool.leadspec]\nexports = "salesforce"\n', "`exports` must be a list of strings"),
    ],
)
def test_mistakes_are_configuration_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as raised:
        load_config(_write(tmp_path, body))
    assert message in str(raised.value)
    assert "pyproject.toml" in str(raised.value)


def test_config_error_exits_2_without_traceback(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _write(tmp_path, '[tool.leadspec]\nselct = ["LS2"]\n')
    (tmp_path / "definitions").mkdir()
    result = cli(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "unknown setting `selct`" in result.stderr
    assert "Traceback" not in result.stderr


def test_exports_names_the_crms_the_project_exports_to(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, '[tool.leadspec]\nexports = ["pipedrive", "csv", "pipedrive"]\n'))
    assert config.exports == ("pipedrive", "csv")
    assert load_config(_write(tmp_path, "[tool.leadspec]\n")).exports == ()
