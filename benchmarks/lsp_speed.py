"""How fast `leadspec lsp` answers an editor, on the bundled definitions.

Drives the server over stdio as an editor does (pygls's client): opens every file
of definitions/, then, run after run, types over one character of a criterion in
marketing.yaml (unsaved) and times until that file's findings for the new text
arrive, less the server's debounce (the pause it waits for typing to stop); and
asks for completion inside criteria (a field name being typed, and the values of
the field compared after `== "`). Prints median, 90th percentile and worst.

    python benchmarks/lsp_speed.py [--runs 30]

Targets (issue 14): findings within 100 ms of the debounce, completion within 50 ms
(both medians). Exit code 1 when a target is missed, 2 when pygls is not installed.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFINITIONS = ROOT / "definitions"
TARGETS = {"findings after the debounce": 0.100, "completion": 0.050}


def _has_pygls() -> bool:
    try:
        return importlib.util.find_spec("pygls") is not None
    except (ImportError, ValueError):
        return False


def _position(text: str, needle: str, after: int) -> tuple[int, int]:
    """0-based (line, character) `after` characters into the first `needle` (ASCII lines)."""
    index = text.index(needle) + after
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered) * 1000:6.1f} ms   p90 {p90 * 1000:6.1f} ms   "
        f"worst {ordered[-1] * 1000:6.1f} ms   ({len(ordered)} runs)"
    )


async def _run(runs: int) -> dict[str, list[float]]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    from leadspec.lsp.server import DEBOUNCE

    client = LanguageClient("lsp_speed", "1")
    arrived: dict[tuple[str, int | None], float] = {}
    news = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params: types.PublishDiagnosticsParams) -> None:
        arrived[(params.uri, params.version)] = time.perf_counter()
        news.set()

    async def published(uri: str, version: int) -> float:
        while (uri, version) not in arrived:
            news.clear()
            await asyncio.wait_for(news.wait(), 30)
        return arrived[(uri, version)]

    await client.start_io(sys.executable, "-m", "leadspec", "lsp")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=ROOT.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=ROOT.as_uri(), name="leadspec")],
        )
    )
    client.initialized(types.InitializedParams())
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(DEFINITIONS.glob("*.yaml"))}
    for path, text in texts.items():
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=path.as_uri(), language_id="yaml", version=1, text=text
                )
            )
        )
    target = DEFINITIONS / "marketing.yaml"
    uri, text = target.as_uri(), texts[target]
    await published(uri, 1)

    # Typing: the `e` of a `lead_score` in a criterion deleted, then typed again, and so on.
    line, character = _position(text, "lead_score >= ", len("lead_scor"))
    spot = types.Range(
        start=types.Position(line=line, character=character),
        end=types.Position(line=line, character=character + 1),
    )
    caret = types.Range(start=spot.start, end=spot.start)
    refresh: list[float] = []
    for version in range(2, runs + 2):
        change = types.TextDocumentContentChangePartial(
            range=spot if version % 2 == 0 else caret, text="" if version % 2 == 0 else "e"
        )
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )
        refresh.append(await published(uri, version) - sent - DEBOUNCE)

    # Completion inside criteria, with the text as on disk again (runs is odd or even: make it so).
    if (runs + 1) % 2 == 0:
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=runs + 2),
                content_changes=[types.TextDocumentContentChangePartial(range=caret, text="e")],
            )
        )
        await published(uri, runs + 2)
    asks = [_position(text, 'sdr_status == "', len('sdr_status == "')), _position(text, "deal_status == ", 4)]
    completion: list[float] = []
    for run in range(runs):
        line, character = asks[run % 2]
        sent = time.perf_counter()
        answer: Any = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=character),
            )
        )
        completion.append(time.perf_counter() - sent)
        if not answer or not answer.items:
            raise SystemExit(f"no completion at {target.name}:{line + 1}:{character + 1}")
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {"findings after the debounce": refresh, "completion": completion}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if not _has_pygls():
        print(
            f"lsp_speed.py drives `leadspec lsp`, and {sys.executable} cannot import pygls. Install the "
            "language server's extra in this environment: pip install -e '.[lsp]' (from the leadspec checkout).",
            file=sys.stderr,
        )
        return 2
    timings = asyncio.run(_run(max(args.runs, 2)))
    missed = False
    print(f"leadspec lsp on {DEFINITIONS.relative_to(ROOT)}/ ({len(list(DEFINITIONS.glob('*.yaml')))} files)")
    for name, values in timings.items():
        goal = TARGETS[name]
        met = statistics.median(values) <= goal
        missed |= not met
        print(f"  {name:<28} {_spread(values)}   target {goal * 1000:.0f} ms: {'met' if met else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
