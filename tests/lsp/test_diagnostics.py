"""Findings as you type: the whole model checked, with unsaved text, published per file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import run_cli
from lsp.lsp_support import diagnostics_until, first_finding, line_of, misspell_a_field, open_file, replace


def errors(found) -> list[types.Diagnostic]:  # type: ignore[no-untyped-def]
    return [item for item in found if item.severity == types.DiagnosticSeverity.Error]


@pytest.mark.asyncio
async def test_a_typo_shows_up_where_it_was_typed_then_moves_and_goes(
    client: LanguageClient, project: Path
) -> None:
    uri, line, column = misspell_a_field(client, project)

    typo = await first_finding(client, uri, "LS207")
    assert typo.message.startswith("there is no field `lead_scor`")
    assert "did you mean `lead_score`?" in typo.message
    assert typo.range == types.Range(
        start=types.Position(line=line, character=column),
        end=types.Position(line=line, character=column + len("lead_scor")),
    )

    # Three characters typed before it on the same line: the finding moves with the text.
    replace(client, uri, 3, line, column, column, "   ")
    await diagnostics_until(
        client,
        uri,
        lambda found: any(
            item.code == "LS207" and item.range.start.character == column + 3 for item in found
        ),
    )
    # The fix: the finding goes, and the file is published clean.
    replace(client, uri, 4, line, column + 3, column + 3 + len("lead_scor"), "lead_score")
    await diagnostics_until(client, uri, lambda found: not errors(found))


@pytest.mark.asyncio
async def test_a_change_in_one_file_is_reported_in_the_file_it_breaks(
    client: LanguageClient, project: Path
) -> None:
    # Renaming a team in shared.yaml (unsaved) breaks the stages that name it, in another file.
    shared = project / "definitions" / "shared.yaml"
    stages = (project / "definitions" / "stages.yaml").as_uri()
    uri = open_file(client, shared)
    line, column = line_of(shared, "  sdr:")
    replace(client, uri, 2, line, column + 2, column + 5, "sdrs")

    found = await diagnostics_until(client, stages, lambda found: any(item.code == "LS202" for item in found))
    assert any("names the team `sdr`, which is not defined" in item.message for item in found)

    replace(client, uri, 3, line, column + 2, column + 6, "sdr")
    await diagnostics_until(client, stages, lambda found: not errors(found))


class Published(dict):  # type: ignore[type-arg]
    """The client's diagnostics, remembering every list published for each file, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[list[types.Diagnostic]]] = {}

    def __setitem__(self, uri: str, found: list[types.Diagnostic]) -> None:
        self.history.setdefault(uri, []).append(list(found))
        super().__setitem__(uri, found)


@pytest.mark.asyncio
async def test_while_typing_only_the_last_text_is_reported(client: LanguageClient, project: Path) -> None:
    path = project / "definitions" / "stages.yaml"
    client.diagnostics = Published()
    uri = open_file(client, path)
    await diagnostics_until(client, uri, lambda found: True)
    line, column = line_of(path, "when: lead_score >= 50")
    start = column + len("when: lead_sco")
    for version, letter in enumerate("abcdx", start=2):  # five keystrokes, faster than the debounce
        replace(client, uri, version, line, start, start + 2, f"r{letter}")
    found = await diagnostics_until(client, uri, lambda found: any(item.code == "LS207" for item in found))
    assert [item.message.splitlines()[0] for item in found if item.code == "LS207"] == [
        "there is no field `lead_scorx`"
    ]
    shown = [item.message for published in client.diagnostics.history[uri] for item in published]
    assert not any(f"`lead_scor{letter}`" in message for message in shown for letter in "abcd")


@pytest.mark.asyncio
async def test_a_file_changed_on_disk_is_read_again(client: LanguageClient, project: Path) -> None:
    # stages.yaml is open; shared.yaml changes on disk (a `git checkout`), and the editor says so.
    stages = open_file(client, project / "definitions" / "stages.yaml")
    await diagnostics_until(client, stages, lambda found: not errors(found))
    shared = project / "definitions" / "shared.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace("  sdr:\n", "  sdrs:\n"), encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=shared.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    found = await diagnostics_until(client, stages, lambda found: any(item.code == "LS202" for item in found))
    assert any("names the team `sdr`, which is not defined" in item.message for item in found)


@pytest.mark.asyncio
async def test_a_code_ignored_in_pyproject_toml_goes_from_the_editor(
    client: LanguageClient, project: Path
) -> None:
    path = project / "definitions" / "stages.yaml"
    text = path.read_text(encoding="utf-8").replace("their details.", "their details in a CRM.")
    uri = open_file(client, path, text)
    await diagnostics_until(client, uri, lambda found: any(item.code == "LS205" for item in found))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'ignore = ["LS205"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await diagnostics_until(client, uri, lambda found: not found)


@pytest.mark.asyncio
async def test_a_finding_the_baseline_records_is_not_shown_a_new_one_is(
    client: LanguageClient, project: Path
) -> None:
    path = project / "definitions" / "stages.yaml"
    recorded = path.read_text(encoding="utf-8").replace("their details.", "their details in a CRM.")
    path.write_text(recorded, encoding="utf-8")
    assert run_cli(["check", "--write-baseline", "baseline.json"], cwd=project).exit_code == 0
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + 'baseline = "baseline.json"\n', encoding="utf-8"
    )
    uri, _, _ = misspell_a_field(client, project)
    found = await diagnostics_until(client, uri, lambda found: any(item.code == "LS207" for item in found))
    assert not any(item.code == "LS205" for item in found)  # recorded in the baseline, as in `check`


@pytest.mark.asyncio
async def test_a_broken_pyproject_toml_is_told_in_words_not_a_traceback(
    client: LanguageClient, project: Path
) -> None:
    (project / "pyproject.toml").write_text("[tool.leadspec\npaths = 1\n", encoding="utf-8")
    uri = open_file(client, project / "definitions" / "stages.yaml")
    await asyncio.wait_for(client.wait_for_notification(types.WINDOW_SHOW_MESSAGE), 20)
    [message] = client.messages
    assert message.type == types.MessageType.Error
    assert message.message.startswith("leadspec: ") and "pyproject.toml: not valid TOML" in message.message
    assert not [item for item in client.log_messages if "internal error" in item.message]
    # Nothing is published for the file meanwhile, rather than findings read with a wrong configuration.
    assert uri not in client.diagnostics


@pytest.mark.asyncio
async def test_the_analysis_not_running_is_shown_at_the_top_of_the_file_with_the_error(
    client: LanguageClient, project: Path
) -> None:
    """LS300 has no place of its own; an editor would drop it, and the file would look analysed."""
    uri, line, column = misspell_a_field(client, project)
    skipped = await first_finding(client, uri, "LS300")
    assert skipped.message.startswith(
        "the lifecycle analysis (gaps, overlaps, hand-offs, examples) did not run"
    )
    assert skipped.severity == types.DiagnosticSeverity.Information
    assert skipped.range.start == types.Position(line=0, character=0)
    shared = (project / "definitions" / "shared.yaml").as_uri()
    assert not any(item.code == "LS300" for item in client.diagnostics.get(shared, []))

    replace(client, uri, 3, line, column, column + len("lead_scor"), "lead_score")
    await diagnostics_until(client, uri, lambda found: not any(item.code == "LS300" for item in found))
