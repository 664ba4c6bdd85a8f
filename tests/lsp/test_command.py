"""`leadspec lsp` as a command: what it says without its extra, and places counted as editors count."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from leadspec.diagnostics import Span
from leadspec.lsp.positions import Positions
from lsp.lsp_support import first_finding, line_of, open_file


def test_without_the_lsp_extra_it_says_what_to_install(tmp_path: Path) -> None:
    code = "import sys\nsys.modules['pygls'] = None\nfrom leadspec import cli\nsys.exit(cli.main(['lsp']))\n"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "the language server (`leadspec lsp`) needs the package pygls" in result.stderr
    assert "pip install 'leadspec[lsp]'" in result.stderr


def test_columns_are_counted_in_the_units_the_editor_agreed_on() -> None:
    # `😀` is one character, two UTF-16 units and four UTF-8 bytes; `\u2028` ends a line for YAML only.
    text = "a: 😀 SDR\nb: x\u2028y SDR\n"
    first = Span("f", 1, 6, 1, 9)
    second = Span("f", 3, 3, 3, 6)  # YAML's line 3 is the protocol's line 1, after the separator
    for encoding, column, after in (("utf-16", 6, 7), ("utf-8", 8, 9), ("utf-32", 5, 7)):
        positions = Positions(text, encoding)
        assert positions.range(first).start == types.Position(line=0, character=column)
        assert positions.range(second).start == types.Position(line=1, character=after)
        assert positions.index(positions.range(first).start) == text.index("SDR")


@pytest.mark.asyncio
async def test_a_finding_after_an_emoji_is_underlined_at_its_word(
    client: LanguageClient, project: Path
) -> None:
    path = project / "definitions" / "stages.yaml"
    typed = 'when: sdr_status != "😀" or lead_scor >= 50'
    uri = open_file(client, path, path.read_text(encoding="utf-8").replace("when: lead_score >= 50", typed))
    typo = await first_finding(client, uri, "LS207")
    line, column = line_of(path, "when: lead_score >= 50")
    column += (
        typed.index("lead_scor") + 1
    )  # the emoji before it is two UTF-16 units, which the client asked for
    assert typo.range == types.Range(
        start=types.Position(line=line, character=column), end=types.Position(line=line, character=column + 9)
    )
