"""Any definitions that `leadspec check` accepts make a site: no missing piece ends in a traceback.

Random variants of the bundled definitions leave out optional parts (SLAs,
descriptions, examples, abbreviations, targets, owners...) and rewrite free
text; whenever the variant has no errors, every page is generated, twice, with
the same bytes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from leadspec.api import load
from leadspec.config import Config
from leadspec.site.content import generate

BUNDLED = {
    path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted((REPO / "definitions").glob("*.yaml"))
}

STAGE_OPTIONAL = ("definition", "abbr", "aliases", "see_also", "sla", "examples", "api_name", "owner")
EXIT_OPTIONAL = ("sla", "description", "set", "examples")
TOP_OPTIONAL = ("targets", "lifecycle")
TEXT_KEYS = ("label", "definition", "description", "term")


def _places(data: dict[str, Any]) -> list[tuple[Any, str]]:
    """(container, key) pairs that may be removed or rewritten."""
    places: list[tuple[Any, str]] = []
    for document in data.values():
        places += [(document, key) for key in TOP_OPTIONAL if key in document]
        for stage in document.get("stages") or []:
            places += [(stage, key) for key in STAGE_OPTIONAL if key in stage]
            for exit in stage.get("exits") or []:
                places += [(exit, key) for key in EXIT_OPTIONAL if key in exit]
        for section in ("teams", "fields", "picklists"):
            for entry in (document.get(section) or {}).values():
                places += [(entry, key) for key in ("description",) if key in entry]
        for term in (document.get("terms") or {}).values():
            places += [(term, key) for key in ("abbr", "aliases", "see_also") if key in term]
    return places


def _texts(data: dict[str, Any]) -> list[tuple[Any, str]]:
    found: list[tuple[Any, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in TEXT_KEYS and isinstance(value, str):
                    found.append((node, key))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    removals=st.lists(st.integers(0, 10_000), max_size=8),
    rewrites=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30),
        ),
        max_size=6,
    ),
)
def test_any_error_free_variant_makes_a_site(
    tmp_path: Path, removals: list[int], rewrites: list[tuple[int, str]]
) -> None:
    data = copy.deepcopy(BUNDLED)
    places = _places(data)
    for pick in removals:
        if places:
            container, key = places.pop(pick % len(places))
            container.pop(key, None)
    texts = _texts(data)
    for pick, text in rewrites:
        if texts and text.strip():
            container, key = texts[pick % len(texts)]
            container[key] = text
    folder = tmp_path / f"variant-{abs(hash((tuple(removals), tuple(rewrites))))}"
    folder.mkdir()
    for name, document in data.items():
        (folder / name).write_text(
            yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    loaded = load([folder], Config(root=tmp_path))
    if loaded.report.exit_code != 0:
        return  # the site refuses these, with the diagnostics
    first = generate(loaded.context, tmp_path).files
    assert first == generate(loaded.context, tmp_path).files
    assert "docs/index.md" in first and "nav.yml" in first
    assert all(f"docs/stages/{stage_id}.md" in first for stage_id in loaded.model.stage_ids)
