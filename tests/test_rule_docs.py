"""Every diagnostic code has a documentation page, and its example really triggers it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli, write_definitions
from leadspec.rules import registry

MODULES = list(registry)
# Codes whose trigger cannot be written as a readable YAML example in a page
# (bytes that are not text, or files too big or deep to show); their pages say so
# in words and the fixture corpus under tests/ covers them.
NOT_SHOWABLE = {"LS002", "LS007", "LS008", "LS009"}


def test_codes_are_stable_and_grouped() -> None:
    codes = [module.rule.code for module in MODULES]
    assert codes == sorted(codes)
    for code in codes:
        assert re.fullmatch(r"LS\d{3}", code)
    names = [module.rule.name for module in MODULES]
    assert len(names) == len(set(names)), "two codes share a name"


@pytest.mark.parametrize("module", MODULES, ids=[m.rule.code for m in MODULES])
def test_page_has_sections(module: object) -> None:
    doc = module.doc  # type: ignore[attr-defined]
    for heading in ("## What it means", "## Example", "## How to fix"):
        assert heading in doc, f"{module.rule.code} page lacks {heading}"  # type: ignore[attr-defined]


@pytest.mark.parametrize("module", MODULES, ids=[m.rule.code for m in MODULES])
def test_example_triggers_the_code(module: object, tmp_path: Path) -> None:
    rule = module.rule  # type: ignore[attr-defined]
    example = module.doc.split("## Example", 1)[1].split("## How to fix", 1)[0]  # type: ignore[attr-defined]
    match = re.search(r"```yaml\n(.*?)```", example, re.S)
    if rule.code in NOT_SHOWABLE:
        assert match is None or "leadspec:" not in match.group(1)
        return
    assert match, f"{rule.code}: the Example section has no yaml block"
    blocks = re.findall(r"```yaml\n(.*?)```", example, re.S)
    if len(blocks) == 2:  # a change between two revisions (the base, then the head): `leadspec diff`
        for name, text in zip(("base", "head"), blocks, strict=True):
            (tmp_path / name).mkdir()
            (tmp_path / name / "example.yaml").write_text(text, encoding="utf-8")
        (tmp_path / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
        result = run_cli(["diff", "base", "head", "--format", "json"], cwd=tmp_path)
        codes = set(re.findall(r'"code": "(LS\d{3})"', result.stdout))
        assert rule.code in codes, f"{rule.code} example produced: {result.stdout or result.stderr}"
        return
    write_definitions(tmp_path, {"example.yaml": match.group(1)})
    # A code about CODEOWNERS shows the file beside the definitions in a `codeowners` block.
    codeowners = re.search(r"```codeowners\n(.*?)```", example, re.S)
    if codeowners:
        (tmp_path / ".github").mkdir()
        (tmp_path / ".github" / "CODEOWNERS").write_text(codeowners.group(1), encoding="utf-8")
    settings = "[tool.leadspec]\n"
    # A code about the baseline shows the baseline file in a `json` block.
    baseline = re.search(r"```json\n(.*?)```", example, re.S)
    if baseline:
        (tmp_path / "leadspec-baseline.json").write_text(baseline.group(1), encoding="utf-8")
        settings += 'baseline = "leadspec-baseline.json"\n'
    (tmp_path / "pyproject.toml").write_text(settings, encoding="utf-8")
    result = run_cli(["check", "--format", "concise", "definitions"], cwd=tmp_path)
    codes = set(re.findall(r"(?m)(?:^|: )(?:error|warning|info) (LS\d{3}) ", result.stdout))
    assert rule.code in codes, f"{rule.code} example produced: {result.stdout or result.stderr}"
