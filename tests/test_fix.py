"""`leadspec check --fix` and `--diff`: certain fixes as minimal edits, nothing else touched."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, run_cli
from leadspec import fixes
from leadspec.api import load
from leadspec.config import Config

# Typos a person makes, each with one certain correction; the fixed files must be the originals.
TYPOS = [
    ("marketing.yaml", "    owner: marketing\n", "    owner: marketng\n"),  # LS202, every stage of the file
    (
        "marketing.yaml",
        'when: sdr_status == "accepted" and not disqualified\n',
        "when: sdr_status == accepted and not disqualifed\n",
    ),  # LS206, then LS207
    ("sales.yaml", "    definition: >\n", "    defintion: >\n"),  # LS101, four stages
    ("shared.yaml", 'seniority != "student"', 'seniority != "Student"'),  # LS209, case only
]


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(REPO / "definitions", project / "definitions")
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(REPO / ".github", project / ".github")
    return project


def _break(project: Path) -> dict[str, bytes]:
    originals = {}
    for name, good, bad in TYPOS:
        path = project / "definitions" / name
        originals.setdefault(name, path.read_bytes())
        text = path.read_text(encoding="utf-8")
        assert good in text
        path.write_text(text.replace(good, bad), encoding="utf-8")
    return originals


def test_fix_restores_every_byte_of_the_files_the_typos_broke(tmp_path: Path) -> None:
    project = _project(tmp_path)
    originals = _break(project)
    codeowners = (project / ".github" / "CODEOWNERS").read_bytes()
    before = run_cli(["check", "--format", "concise"], cwd=project)
    assert before.exit_code == 1
    codes = {line.split()[2] for line in before.stdout.splitlines() if ": error " in line}
    assert codes == {"LS101", "LS202", "LS206", "LS209", "LS421"}  # CODEOWNERS names the misspelt team
    result = run_cli(["check", "--fix"], cwd=project)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Checked 4 files: no problems found." in result.stdout
    # 6 owners, 1 quoted value, then (next round) the misspelt field it uncovered, 4 keys, 1 value
    assert "Fixed 13 findings in 3 files." in result.stderr
    for name, original in originals.items():
        assert (project / "definitions" / name).read_bytes() == original, name
    # CODEOWNERS, stale only because of the misspelt team, waited for the fixed definitions
    assert (project / ".github" / "CODEOWNERS").read_bytes() == codeowners


def test_diff_shows_the_fixes_and_writes_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _break(project)
    broken = {path.name: path.read_bytes() for path in (project / "definitions").iterdir()}
    result = run_cli(["check", "--diff"], cwd=project)
    assert result.exit_code == 1
    assert "--- a/definitions/sales.yaml\n+++ b/definitions/sales.yaml\n" in result.stdout
    assert "-    defintion: >\n+    definition: >\n" in result.stdout
    assert (
        '-        when: sdr_status == accepted and not disqualifed\n+        when: sdr_status == "accepted" and not disqualifed\n'
        in result.stdout
    )
    assert {path.name: path.read_bytes() for path in (project / "definitions").iterdir()} == broken
    (tmp_path / "again").mkdir()
    clean = run_cli(["check", "--diff"], cwd=_project(tmp_path / "again"))
    assert clean.exit_code == 0 and clean.stdout == "" and "No fixes to apply." in clean.stderr


def test_a_guess_is_never_applied(tmp_path: Path) -> None:
    project = tmp_path
    (project / "definitions").mkdir()
    text = (
        "leadspec: 1\n"
        "fields:\n"
        "  lead_score: {label: Lead score, type: integer, min: 0, max: 100}\n"
        "  lead_scope: {label: Lead scope, type: integer, min: 0, max: 100}\n"
        "stages:\n"
        "  - id: all\n"
        "    label: All\n"
        "    start: true\n"
        "    terminal: true\n"
        "    entry: lead_scor >= 0 or fit >= 3\n"
    )
    (project / "definitions" / "defs.yaml").write_text(text, encoding="utf-8")
    result = run_cli(["check", "--fix", "--format", "concise"], cwd=project)
    assert result.exit_code == 1
    assert "there is no field `lead_scor`" in result.stdout  # two names are alike: no certain fix
    assert "there is no field `fit`" in result.stdout  # nothing alike
    assert "Fixed 0 findings in 0 files." in result.stderr
    assert (project / "definitions" / "defs.yaml").read_text(encoding="utf-8") == text


def test_a_fix_keeps_crlf_line_endings_escapes_and_comments(tmp_path: Path) -> None:
    (tmp_path / "definitions").mkdir()
    lines = [
        "leadspec: 1  # the format",
        "fields:",
        "  lead_score: {label: Lead score, type: integer, min: 0, max: 100}",
        "  note: {label: Note, type: enum, values: ['say \"hi\"', other]}",
        "stages:",
        "  - id: all",
        "    label: All",
        "    start: true",
        "    terminal: true",
        '    entry: "note == \\"say \\\\\\"hi\\\\\\"\\" or lead_scroe >= 0"  # escapes before the typo',
    ]
    path = tmp_path / "definitions" / "defs.yaml"
    path.write_bytes("\r\n".join(lines).encode() + b"\r\n")
    path.chmod(0o640)
    result = run_cli(["check", "--fix", "--format", "concise"], cwd=tmp_path)
    assert result.stdout == "" and result.exit_code == 0, result.stdout + result.stderr
    assert path.read_bytes() == path.read_bytes().replace(b"lead_scroe", b"lead_score")
    expected = "\r\n".join(lines).replace("lead_scroe", "lead_score").encode() + b"\r\n"
    assert path.read_bytes() == expected
    assert path.stat().st_mode & 0o777 == 0o640
    assert not [p for p in path.parent.iterdir() if p.name != "defs.yaml"]  # no temporary file left


def test_a_file_changed_since_it_was_checked_is_left_alone(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _break(project)
    report = load([project / "definitions"], Config(root=project)).report
    sales = project / "definitions" / "sales.yaml"
    edited = sales.read_text(encoding="utf-8") + "# someone saved meanwhile\n"
    sales.write_text(edited, encoding="utf-8")
    planned = fixes.plan(report, root=project)
    assert any(
        "sales.yaml changed since it was checked, so it is left alone" in note for note in planned.left
    )
    assert "definitions/sales.yaml" not in {item.display for item in planned.files}
    written, left = fixes.write(planned)
    assert not left and written
    assert sales.read_text(encoding="utf-8") == edited


def test_fix_rewrites_a_stale_codeowners_block_only(tmp_path: Path) -> None:
    project = _project(tmp_path)
    marketing = project / "definitions" / "marketing.yaml"
    marketing.write_text(
        marketing.read_text(encoding="utf-8").replace("    owner: marketing\n", "    owner: sales\n", 1),
        encoding="utf-8",
    )
    codeowners = project / ".github" / "CODEOWNERS"
    codeowners.write_text(
        "# ours, kept as it is\n*.md @quillmetric/docs\n\n" + codeowners.read_text(encoding="utf-8")
    )
    before = codeowners.read_text(encoding="utf-8")
    assert "LS421" in run_cli(["check", "--format", "concise"], cwd=project).stdout
    result = run_cli(["check", "--fix", "--format", "concise"], cwd=project)
    assert "LS421" not in result.stdout
    after = codeowners.read_text(encoding="utf-8")
    assert after.startswith("# ours, kept as it is\n*.md @quillmetric/docs\n\n")
    assert (
        "/definitions/marketing.yaml @quillmetric/marketing @quillmetric/sales-development @quillmetric/sales "
        in after
    )
    assert after != before
    assert run_cli(["owners", "--check"], cwd=project).exit_code == 0
