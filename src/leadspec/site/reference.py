"""Reference pages: the definitions format from the JSON Schema, and one page per diagnostic code.

The schema is the one authoritative description of the format (editors show the
same descriptions on hover), and each rule module's docstring is its code's
page, so the site repeats them instead of keeping a second copy in sync. Both
are leadspec's own Markdown: backticks stay code, but any raw HTML is escaped
all the same.
"""

from __future__ import annotations

import json
import re
from typing import Any

from leadspec.model import Model
from leadspec.rules import registry
from leadspec.schema import load_schema
from leadspec.site import links
from leadspec.site.markup import Md, inline

# The order a reader meets these things in, not the alphabet.
_DEF_ORDER = (
    "stage",
    "exit",
    "criterion",
    "sla",
    "escalation",
    "duration",
    "example",
    "field",
    "picklist",
    "picklist_value",
    "term",
    "team",
    "calendar",
    "targets",
    "capacity",
    "lifecycle",
    "waiver",
    "id",
)
_DEF_TITLES = {
    "stage": "Stage",
    "exit": "Exit",
    "criterion": "Criterion",
    "sla": "SLA",
    "escalation": "Escalation",
    "duration": "Duration",
    "example": "Example lead",
    "field": "Field",
    "picklist": "Picklist",
    "picklist_value": "Picklist value",
    "term": "Glossary term",
    "team": "Team",
    "calendar": "Calendar",
    "targets": "Targets",
    "capacity": "Capacity",
    "lifecycle": "Lifecycle",
    "waiver": "Waiver",
    "id": "Id",
    "waivers": "Waivers",
}
_TYPE_WORDS = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true or false",
    "object": "mapping",
    "array": "list",
    "null": "nothing",
}
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def trusted(text: str) -> Md:
    """leadspec's own Markdown (schema descriptions, rule pages) with raw HTML escaped outside code.

    Only `<` needs escaping to rule out raw HTML; code spans and fenced blocks show it as written.
    """
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        marker = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence is not None:
            out.append(line)
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            continue
        if marker:
            fence = marker.group(1)
            out.append(line)
            continue
        out.append(_escape_prose(line))
    return Md("\n".join(out))


def _escape_prose(line: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(line):
        parts.append(_html_escape(line[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_html_escape(line[last:]))
    return "".join(parts)


def _html_escape(text: str) -> str:
    return text.replace("<", "&lt;")


def _cell(text: str) -> Md:
    """Trusted Markdown in a table cell: one line, pipes that do not end the cell."""
    flat = " ".join(text.split())
    parts = []
    last = 0
    for match in _CODE_SPAN.finditer(flat):
        parts.append(_html_escape(flat[last : match.start()]).replace("|", "\\|"))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_html_escape(flat[last:]).replace("|", "\\|"))
    return Md("".join(parts))


_ACRONYMS = {"crm": "CRM", "sla": "SLA", "api": "API", "id": "id", "url": "URL"}


def _title(name: str) -> str:
    """`crm_values` -> "CRM values": a section title for a schema definition without a set one."""
    words = [_ACRONYMS.get(word, word) for word in name.split("_")]
    first = words[0] if words[0].isupper() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _def_link(name: str) -> str:
    return f"[{_DEF_TITLES.get(name, _title(name))}](#def-{name.replace('_', '-')})"


def type_words(node: dict[str, Any]) -> str:
    """What a schema node holds, in a few words, with links to other sections."""
    if "$ref" in node:
        name = _ref_name(node["$ref"])
        return _def_link(name)
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return "one of " + ", ".join(
            f"`{value}`" if isinstance(value, str) else f"`{json.dumps(value)}`" for value in node["enum"]
        )
    for key in ("oneOf", "anyOf"):
        if key in node:
            return " or ".join(type_words(option) for option in node[key])
    kind = node.get("type")
    if isinstance(kind, list):
        return " or ".join(_TYPE_WORDS.get(k, k) for k in kind)
    if kind == "array":
        items = node.get("items")
        return f"list of {type_words(items)}" if isinstance(items, dict) else "list"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"mapping of id to {type_words(node['additionalProperties'])}"
    if kind == "object" and node.get("properties"):
        return "mapping (keys below)"
    return _TYPE_WORDS.get(kind, "any value") if isinstance(kind, str) else "any value"


def _rows(node: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(node.get("required", ()))
    rows = []
    for key, child in node.get("properties", {}).items():
        rows.append(
            {
                "key": key,
                "type": Md(type_words(child)),
                "required": key in required,
                "description": _cell(child.get("description", "")),
            }
        )
    return rows


def format_page(model: Model) -> Any:
    from leadspec.site.content import Page
    from leadspec.site.render import markdown_env

    schema = load_schema()
    definitions = schema.get("$defs", {})
    names = [name for name in _DEF_ORDER if name in definitions]
    names += sorted(name for name in definitions if name not in names)
    sections = []
    for name in names:
        node = definitions[name]
        examples = [
            json.dumps(example, ensure_ascii=False)
            for example in node.get("examples", [])
            if not isinstance(example, (dict, list))
        ][:4]
        sections.append(
            {
                "name": name,
                "anchor": f"def-{name.replace('_', '-')}",
                "title": _DEF_TITLES.get(name, _title(name)),
                "description": trusted(" ".join(node.get("description", "").split())),
                "type": Md(type_words(node)) if not node.get("properties") else None,
                "rows": _rows(node),
                "examples": examples,
            }
        )
    text = (
        markdown_env()
        .get_template("format.md.j2")
        .render(
            schema_description=trusted(" ".join(schema.get("description", "").split())),
            top=_rows(schema),
            sections=sections,
            link=links.Links(model, links.FORMAT),
        )
    )
    return Page(links.FORMAT, "Definitions format", text)


def code_pages(model: Model) -> list[Any]:
    from leadspec.site.content import Page
    from leadspec.site.render import markdown_env

    env = markdown_env()
    modules = list(registry)
    groups: dict[str, list[Any]] = {}
    for module in modules:
        groups.setdefault(group_of(module.rule.code), []).append(module.rule)
    index = env.get_template("codes.md.j2").render(
        link=links.Links(model, links.CODES),
        groups=list(groups.items()),
    )
    pages = [Page(links.CODES, "All codes", index)]
    for module in modules:
        rule = module.rule
        doc = _shift_headings(module.doc)
        summary, _, body = doc.partition("\n")
        text = env.get_template("code.md.j2").render(
            rule=rule,
            summary=trusted(summary.strip()),
            body=trusted(body.strip()),
            link=links.Links(model, links.code_page(rule.code)),
        )
        # The examples on these pages mention every stage: rank them below the glossary's own pages.
        meta = (("search", {"boost": 0.5}),)
        pages.append(Page(links.code_page(rule.code), f"{rule.code} {rule.name}", text, meta=meta))
    return pages


def _shift_headings(doc: str) -> str:
    """Rule pages use `##` sections under the page's own `#` title; keep them, drop any `#` title."""
    lines = doc.splitlines()
    return "\n".join(line for line in lines if not re.match(r"^# ", line))


_GROUPS = (
    ("LS0", "Reading the YAML"),
    ("LS1", "The format"),
    ("LS2", "References, glossary and criteria"),
    ("LS3", "The lifecycle"),
    ("LS4", "SLAs, targets and governance"),
    ("LS5", "Exports"),
    ("LS9", "Waivers and configuration"),
)


def group_of(code: str) -> str:
    return next((title for prefix, title in _GROUPS if code.startswith(prefix)), "Other")


__all__ = ["code_pages", "format_page", "trusted", "type_words", "inline"]
