"""Completion, hover, go to definition, references and quick fixes, as an editor asks for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp.lsp_support import Buffer, diagnostics_until, first_finding, line_of, open_file, replace


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def labels(client: LanguageClient, uri: str, position: types.Position) -> list[str]:
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=position)
    )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    return [item.label for item in items]


@pytest.mark.asyncio
async def test_completion_offers_fields_then_the_values_of_the_field_being_compared(
    client: LanguageClient, project: Path
) -> None:
    path = project / "definitions" / "stages.yaml"
    uri = open_file(client, path)
    await diagnostics_until(client, uri, lambda found: True)  # the first check is in
    line, column = line_of(path, "when: lead_score >= 50")
    start = column + len("when: ")
    replace(client, uri, 2, line, start, start + len("lead_score >= 50"), "lead_score >= 50 and sdr")
    fields = await labels(client, uri, at(line, start + len("lead_score >= 50 and sdr")))
    assert {"lead_score", "sdr_status"} <= set(fields)

    replace(
        client,
        uri,
        3,
        line,
        start + len("lead_score >= 50 and "),
        start + len("lead_score >= 50 and sdr"),
        'sdr_status == "',
    )
    end = start + len('lead_score >= 50 and sdr_status == "')
    assert await labels(client, uri, at(line, end)) == ["new", "accepted", "rejected"]

    replace(client, uri, 4, line, end - 1, end, "")  # `sdr_status == `: the values come quoted
    assert await labels(client, uri, at(line, end - 1)) == ['"new"', '"accepted"', '"rejected"']


@pytest.mark.asyncio
async def test_completion_offers_the_ids_the_format_expects_there(
    client: LanguageClient, project: Path
) -> None:
    path = project / "definitions" / "stages.yaml"
    uri = open_file(client, path)
    await diagnostics_until(client, uri, lambda found: True)
    line, column = line_of(path, "  - to: sal")
    assert set(await labels(client, uri, at(line, column + len("  - to: sa")))) == {
        "sal",
        "nurture",
        "mql",
        "lead",
    }
    line, column = line_of(path, "owner: sdr")
    assert set(await labels(client, uri, at(line, column + len("owner: s")))) == {"marketing", "sdr"}


@pytest.mark.asyncio
async def test_hover_shows_a_fields_domain_and_a_stages_criteria_in_words(
    client: LanguageClient, project: Path
) -> None:
    path = project / "definitions" / "stages.yaml"
    uri = open_file(client, path)
    await diagnostics_until(client, uri, lambda found: True)
    line, column = line_of(path, "when: lead_score >= 50")
    shown = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(uri), position=at(line, column + len("when: lead_")))
    )
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    assert shown.contents.value.startswith("**Lead score** (`lead_score`): a whole number from 0 to 100")

    line, column = line_of(path, "  - to: sal")
    shown = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(uri), position=at(line, column + len("  - to: s")))
    )
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    assert "**Sales Accepted Lead**" in shown.contents.value
    assert "*In this stage:* SDR status is accepted" in shown.contents.value


@pytest.mark.asyncio
async def test_go_to_definition_and_references_cross_files(client: LanguageClient, project: Path) -> None:
    stages = project / "definitions" / "stages.yaml"
    shared = project / "definitions" / "shared.yaml"
    uri = open_file(client, stages)
    await diagnostics_until(client, uri, lambda found: True)
    line, column = line_of(stages, "owner: sdr")
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at(line, column + len("owner: s")))
    )
    assert isinstance(found, list) and len(found) == 1
    defined_line, defined_column = line_of(shared, "  sdr:")
    assert found[0].uri == shared.as_uri()
    assert found[0].range == types.Range(
        start=at(defined_line, defined_column + 2), end=at(defined_line, defined_column + 5)
    )

    line, column = line_of(stages, 'when: sdr_status == "accepted"')
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc(uri), position=at(line, column + len('when: sdr_status == "acc'))
        )
    )
    assert isinstance(found, list) and [item.range.start.line for item in found] == [
        line_of(shared, "  sdr_status:")[0]
    ]

    line, column = line_of(stages, "when: lead_score >= 50")
    used = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri),
            position=at(line, column + len("when: lead")),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert used is not None
    places = {(item.uri, item.range.start.line) for item in used}
    assert (shared.as_uri(), line_of(shared, "  lead_score:")[0]) in places
    assert {
        line_of(stages, needle)[0] for needle in ("lead_score >= 50", 'sdr_status != "new" or lead_score')
    } <= {line for file, line in places if file == uri}


async def quick_fixes(client: LanguageClient, uri: str, found: types.Diagnostic) -> list[types.CodeAction]:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(uri), range=found.range, context=types.CodeActionContext(diagnostics=[found])
        )
    )
    return [action for action in actions or [] if isinstance(action, types.CodeAction)]


@pytest.mark.asyncio
async def test_the_did_you_mean_fix_is_offered_and_applied(client: LanguageClient, project: Path) -> None:
    path = project / "definitions" / "stages.yaml"
    buffer = Buffer(client, path)
    line, column = line_of(path, "when: lead_score >= 50")
    start = column + len("when: ")
    buffer.type(line, start, start + len("lead_score"), "lead_scor")
    typo = await first_finding(client, buffer.uri, "LS207")
    fixes = await quick_fixes(client, buffer.uri, typo)
    assert [action.title for action in fixes][0] == "Replace `lead_scor` with `lead_score`"
    buffer.accept(fixes[0])
    await diagnostics_until(client, buffer.uri, lambda found: not any(item.code == "LS207" for item in found))
    assert buffer.line(line).strip() == "when: lead_score >= 50"


@pytest.mark.asyncio
async def test_an_unquoted_value_is_quoted_by_its_fix(client: LanguageClient, project: Path) -> None:
    path = project / "definitions" / "stages.yaml"
    buffer = Buffer(client, path)
    line, column = line_of(path, 'when: sdr_status == "accepted"')
    start = column + len("when: sdr_status == ")
    buffer.type(line, start, start + len('"accepted"'), "accepted")
    found = await diagnostics_until(
        client, buffer.uri, lambda found: any(item.range.start.line == line for item in found)
    )
    unquoted = next(item for item in found if item.range.start.line == line)
    assert unquoted.message.startswith("`accepted` is a value of `sdr_status` (SDR status), not a field")
    fixes = await quick_fixes(client, buffer.uri, unquoted)
    quote = next(action for action in fixes if action.title == 'Write "accepted" in quotes')
    buffer.accept(quote)
    await diagnostics_until(
        client, buffer.uri, lambda found: not any(item.range.start.line == line for item in found)
    )
    assert buffer.line(line).strip() == 'when: sdr_status == "accepted"'


@pytest.mark.asyncio
async def test_a_finding_is_waived_on_its_stage_by_a_fix(client: LanguageClient, project: Path) -> None:
    path = project / "definitions" / "stages.yaml"
    buffer = Buffer(client, path)
    # An abbreviation the glossary does not define (LS205), which the teams accept for now.
    line, column = line_of(path, "definition: Anyone who gave us their details.")
    end = column + len("definition: Anyone who gave us their details")
    buffer.type(line, end, end, " through a CRM form")
    abbreviation = await first_finding(client, buffer.uri, "LS205")
    fixes = await quick_fixes(client, buffer.uri, abbreviation)
    waive = next(action for action in fixes if action.title.startswith("Waive LS205"))
    buffer.accept(waive)
    await diagnostics_until(client, buffer.uri, lambda found: not found)
    waiver = '        when: lead_score >= 50\n    waivers:\n      - code: LS205\n        reason: "TODO: say why the teams accept this"\n'
    assert buffer.text.endswith(waiver)


WAIVED = """
    waivers:
      - code: LS205
        reason: "Everyone here knows what a CRM is."
"""


@pytest.mark.asyncio
async def test_codes_in_waivers_are_completed_and_explained(client: LanguageClient, project: Path) -> None:
    path = project / "definitions" / "stages.yaml"
    text = path.read_text(encoding="utf-8") + WAIVED.lstrip("\n")
    uri = open_file(client, path, text)
    await diagnostics_until(client, uri, lambda found: True)
    line = text.splitlines().index("      - code: LS205")
    assert "LS205" in await labels(client, uri, at(line, len("      - code: LS2")))
    shown = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(uri), position=at(line, len("      - code: LS2")))
    )
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    assert shown.contents.value.startswith("**LS205** undefined-abbreviation")
    assert "## How to fix" in shown.contents.value  # the page `leadspec rule LS205` prints


@pytest.mark.asyncio
async def test_hover_on_a_value_names_it_and_its_field(client: LanguageClient, project: Path) -> None:
    path = project / "definitions" / "stages.yaml"
    uri = open_file(client, path)
    await diagnostics_until(client, uri, lambda found: True)
    line, column = line_of(path, 'when: sdr_status == "accepted"')
    shown = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(uri), position=at(line, column + len('when: sdr_status == "acc')))
    )
    assert shown is not None and isinstance(shown.contents, types.MarkupContent)
    assert shown.contents.value.startswith(
        '`"accepted"` — Accepted\n\na value of **SDR status** (`sdr_status`)'
    )


@pytest.mark.asyncio
async def test_completion_in_a_criterion_works_while_the_file_is_not_valid_yaml(
    client: LanguageClient, project: Path
) -> None:
    path = project / "definitions" / "stages.yaml"
    uri = open_file(client, path)
    await diagnostics_until(client, uri, lambda found: True)
    line, column = line_of(path, "when: lead_score >= 50")
    # An unclosed flow sequence at the start of another line: the file no longer parses.
    replace(client, uri, 2, 1, 0, 0, "broken: [\n")
    typed = "when: lead_score >= 50 and sdr_status in ["
    replace(client, uri, 3, line + 1, column, column + len("when: lead_score >= 50"), typed)
    assert await labels(client, uri, at(line + 1, column + len(typed))) == [
        '"new"',
        '"accepted"',
        '"rejected"',
    ]


@pytest.mark.asyncio
async def test_completion_offers_field_names_and_values_in_a_leads_fields_and_an_exits_set(
    client: LanguageClient, project: Path
) -> None:
    """The keys of an example's `lead:` and an exit's `set:` are fields, typed while the file does not parse."""
    buffer = Buffer(client, project / "definitions" / "stages.yaml")
    await diagnostics_until(client, buffer.uri, lambda found: True)
    line = next(n for n, text in enumerate(buffer.text.split("\n")) if "reason: rejection_reason" in text)
    end = len(buffer.line(line))
    buffer.type(line, end, end, "\n        set:\n          sdr")
    assert await labels(client, buffer.uri, at(line + 2, len("          sdr"))) == [
        "lead_score",
        "sdr_status",
    ]

    buffer.type(line + 2, len("          sdr"), len("          sdr"), "_status: ")
    after = len("          sdr_status: ")
    assert await labels(client, buffer.uri, at(line + 2, after)) == ["new", "accepted", "rejected"]

    buffer.type(line + 2, after, after, "rejected\n          ")  # the next key: only a field not set yet
    assert await labels(client, buffer.uri, at(line + 3, len("          "))) == ["lead_score"]

    # An example's lead in flow style, and its values; a field already given is not offered again.
    last = len(buffer.text.split("\n")) - 1
    buffer.type(last, 0, 0, "    examples:\n      - name: a hot lead\n        lead: {lead_score: 60, ")
    assert await labels(client, buffer.uri, at(last + 2, len("        lead: {lead_score: 60, "))) == [
        "sdr_status"
    ]
    column = len("        lead: {lead_score: 60, ")
    buffer.type(last + 2, column, column, "sdr_status: acc")
    assert await labels(client, buffer.uri, at(last + 2, column + len("sdr_status: acc"))) == [
        "new",
        "accepted",
        "rejected",
    ]

    # Other flow mappings hold no fields: an SLA's keys are not field names.
    sla = next(n for n, text in enumerate(buffer.text.split("\n")) if "sla: {within: 1 business day" in text)
    inside = buffer.line(sla).index("owner")
    assert not {"lead_score", "sdr_status"} & set(await labels(client, buffer.uri, at(sla, inside)))
