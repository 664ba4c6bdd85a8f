"""Every command's output under a plain C locale is the UTF-8 run's, byte for byte (issue 17).

Minimal containers and CI scripts run with `LC_ALL=C` and sometimes `PYTHONUTF8=0`,
where Python writes ASCII to standard output: a `→` in `diff --format json` or a `×`
in `targets` ended in an internal error. leadspec writes UTF-8 whatever the locale
(`cli._utf8_streams`), so each command below, run as a separate process once under
`LC_ALL=C LANG= PYTHONUTF8=0` and once under a UTF-8 locale, must give the same
exit code, the same bytes on standard output and error, and the same files.

The definitions are the bundled ones with a non-ASCII label, and a second revision
of them for `diff`, so the outputs really hold characters ASCII cannot write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
C_LOCALE = {"LC_ALL": "C", "LANG": "", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
UTF8_LOCALE = {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONUTF8": "1", "PYTHONIOENCODING": ""}


def _env(locale: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "PYTHON"))}
    env.update({key: value for key, value in locale.items() if value})
    for key, value in locale.items():
        if not value:
            env.pop(key, None)
    env["NO_COLOR"] = "1"
    return env


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled definitions (`defs/`, a label made French) and a changed copy (`new/`)."""
    root = tmp_path_factory.mktemp("locale")
    defs = root / "defs"
    shutil.copytree(REPO / "definitions", defs)
    marketing = defs / "marketing.yaml"
    text = marketing.read_text(encoding="utf-8")
    assert "    label: Marketing Qualified Lead\n" in text
    marketing.write_text(
        text.replace("    label: Marketing Qualified Lead\n", "    label: Lead qualifié marketing\n"),
        encoding="utf-8",
    )
    new = root / "new"
    shutil.copytree(defs, new)
    changed = (new / "marketing.yaml").read_text(encoding="utf-8")
    changed = changed.replace("lead_score >= 50", "lead_score >= 55").replace(
        "    label: Nurture\n", "    label: Nurture – later\n"
    )
    (new / "marketing.yaml").write_text(changed, encoding="utf-8")
    shutil.copy(REPO / "examples" / "history.csv", root / "history.csv")
    (root / "lead.json").write_text('{"lead_score": 72, "fit_score": 60}', encoding="utf-8")
    (root / "leads.csv").write_text(_leads(), encoding="utf-8")
    return root


def _leads() -> str:
    """Two leads with a cell for every field of the bundled definitions, one seniority in French."""
    from leadspec.api import load
    from leadspec.config import load_config

    model = load([REPO / "definitions"], load_config(start=REPO)).model
    typical = {"boolean": "false", "integer": "10", "number": "10"}
    names = list(model.fields)
    first = [typical.get(model.fields[n].type) or model.fields[n].values[0] for n in names]
    second = [("Directeur·rice" if n == "seniority" else cell) for n, cell in zip(names, first, strict=True)]
    return "\n".join(",".join(row) for row in (names, first, second)) + "\n"


# (name, arguments, whether the output must hold non-ASCII characters for the case to prove anything)
CASES: list[tuple[str, list[str], bool]] = [
    *(
        (f"check {fmt}", ["check", "defs", "--format", fmt], False)
        for fmt in ("text", "concise", "json", "sarif", "github", "junit")
    ),
    *(
        (f"diff {fmt}", ["diff", "defs", "new", "--format", fmt], True)
        for fmt in ("text", "json", "markdown")
    ),
    ("diff --output", ["diff", "defs", "new", "--format", "markdown", "--output", "out/diff.md"], False),
    *((f"targets {fmt}", ["targets", "defs", "--format", fmt], fmt == "text") for fmt in ("text", "json")),
    *(
        (f"explain {fmt}", ["explain", "defs", "--lead-file", "lead.json", "--format", fmt], True)
        for fmt in ("text", "json")
    ),
    *(
        (f"classify {fmt}", ["classify", "leads.csv", "defs", "--format", fmt], True)
        for fmt in ("table", "json")
    ),
    *(
        (
            f"funnel {fmt}",
            [
                "funnel",
                "history.csv",
                "--definitions",
                "defs",
                "--as-of",
                "2026-12-01T00:00Z",
                "--format",
                fmt,
            ],
            fmt != "json",
        )
        for fmt in ("text", "json", "markdown")
    ),
    ("sla list", ["sla", "defs"], False),
    ("sql", ["sql", "defs", "--table", "crm.leads", "--crm", "salesforce", "--dialect", "duckdb"], False),
    ("owners", ["owners", "defs"], False),
    ("rule", ["rule", "LS301"], False),
    ("schema", ["schema"], False),
    ("export csv", ["export", "csv", "defs", "--out", "out/csv"], False),
    ("export salesforce", ["export", "salesforce", "defs", "--out", "out/salesforce"], False),
    ("site build", ["site", "build", "defs", "--out", "out/site"], True),
    ("a usage error", ["explain", "défs-missing", "--lead-file", "lead.json"], False),
]


def _run(
    project: Path, args: list[str], locale: dict[str, str], work: Path
) -> tuple[int, bytes, bytes, dict[str, bytes]]:
    """Run in a copy of `project`, so each run's written files can be compared."""
    shutil.copytree(project, work)
    done = subprocess.run(
        [sys.executable, "-m", "leadspec", *args],
        cwd=work,
        env=_env(locale),
        capture_output=True,
        timeout=300,
    )
    written = (
        {
            str(path.relative_to(work)): path.read_bytes()
            for path in sorted((work / "out").rglob("*"))
            if path.is_file()
        }
        if (work / "out").exists()
        else {}
    )
    return done.returncode, done.stdout, done.stderr, written


def test_the_c_locale_makes_python_write_ascii() -> None:
    """The premise: without leadspec's choice, this environment's Python writes ASCII."""
    shown = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"],
        env=_env(C_LOCALE),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if sys.platform == "win32":
        pytest.skip("Windows has no C locale")
    assert shown.lower() in ("ascii", "ansi_x3.4-1968", "us-ascii"), shown


@pytest.mark.parametrize(
    "args,non_ascii", [(args, flag) for _, args, flag in CASES], ids=[name for name, _, _ in CASES]
)
def test_same_bytes_under_the_c_locale(
    project: Path, tmp_path: Path, args: list[str], non_ascii: bool
) -> None:
    utf8 = _run(project, args, UTF8_LOCALE, tmp_path / "utf8")
    plain = _run(project, args, C_LOCALE, tmp_path / "c")
    assert b"internal error" not in plain[2], plain[2].decode("utf-8", "replace")
    assert plain[0] == utf8[0], (plain[2], utf8[2])
    assert plain[1] == utf8[1]
    assert plain[2] == utf8[2]
    assert plain[3] == utf8[3]
    if non_ascii:
        assert not (utf8[1] + b"".join(utf8[3].values())).isascii(), "the case shows no character ASCII lacks"
