"""Where everything lives on the site, and links to it from any page.

One place decides every page path and anchor, so a link written on the stage
page and the anchor written on the glossary page cannot drift apart; mkdocs'
strict build (with anchor validation on) fails if they ever do.
"""

from __future__ import annotations

import posixpath
import re

from leadspec.model import Model
from leadspec.site.markup import Md, inline

_SAFE = re.compile(r"[^a-z0-9_]+")

HOME = "index.md"
GLOSSARY = "glossary.md"
FIELDS = "fields.md"
PICKLISTS = "picklists.md"
SLA = "sla.md"
TARGETS = "targets.md"
FUNNEL = "funnel.md"
FORMAT = "reference/format.md"
CODES = "reference/codes/index.md"


def slug(ident: str) -> str:
    """An id as it appears in a file name or an anchor (ids are already safe once checked)."""
    return _SAFE.sub("-", ident.lower()).strip("-") or "x"


def stage_page(stage_id: str) -> str:
    return f"stages/{slug(stage_id)}.md"


def code_page(code: str) -> str:
    return f"reference/codes/{slug(code)}.md"


def html_path(page: str) -> str:
    """The built file for a page (the site uses `use_directory_urls: false`)."""
    return page[: -len(".md")] + ".html"


class Links:
    """Markdown links from the page `here` (a path like "stages/mql.md")."""

    def __init__(self, model: Model, here: str) -> None:
        self.model = model
        self.here = here

    def url(self, page: str, anchor: str | None = None) -> str:
        target = "" if page == self.here else posixpath.relpath(page, posixpath.dirname(self.here) or ".")
        return f"{target}#{anchor}" if anchor else target

    def to(self, text: object, page: str, anchor: str | None = None) -> Md:
        return Md(f"[{inline(text)}]({self.url(page, anchor)})")

    def stage(self, stage_id: str, text: str | None = None, short: bool = False) -> Md:
        """A link to the stage's page; `short` names it by its abbreviation (a tooltip) where it has one."""
        stage = self.model.stage(stage_id)
        if stage is None:
            return inline(text or stage_id)
        return self.to(text or (stage.abbr if short and stage.abbr else stage.label), stage_page(stage_id))

    def term(self, term_id: str, text: str | None = None) -> Md:
        term = self.model.terms.get(term_id)
        if term is None:
            return inline(text or term_id)
        return self.to(text or term.term, GLOSSARY, f"term-{slug(term_id)}")

    def condition(self, condition_id: str, text: str | None = None) -> Md:
        condition = self.model.conditions.get(condition_id)
        if condition is None:
            return inline(text or condition_id)
        return self.to(text or condition.label, GLOSSARY, f"condition-{slug(condition_id)}")

    def team(self, team_id: str | None) -> Md:
        if not team_id:
            return inline("no team")
        team = self.model.teams.get(team_id)
        return self.to(team.label, SLA, f"team-{slug(team_id)}") if team else inline(team_id)

    def calendar(self, calendar_id: str | None) -> Md:
        if not calendar_id:
            return inline("")
        calendar = self.model.calendars.get(calendar_id)
        return (
            self.to(calendar.label, SLA, f"calendar-{slug(calendar_id)}") if calendar else inline(calendar_id)
        )

    def field(self, field_id: str) -> Md:
        field = self.model.fields.get(field_id)
        return self.to(field.label, FIELDS, f"field-{slug(field_id)}") if field else inline(field_id)

    def picklist(self, picklist_id: str) -> Md:
        picklist = self.model.picklists.get(picklist_id)
        if picklist is None:
            return inline(picklist_id)
        return self.to(picklist.label, PICKLISTS, f"picklist-{slug(picklist_id)}")

    def value(self, picklist_id: str, value_id: str) -> Md:
        picklist = self.model.picklists.get(picklist_id)
        value = next((v for v in picklist.values if v.id == value_id), None) if picklist else None
        if value is None:
            return inline(f"{picklist_id}.{value_id}")
        return self.to(value.label, PICKLISTS, value_anchor(picklist_id, value_id))

    def code(self, code: str) -> Md:
        return self.to(code, code_page(code))

    def ref(self, ref: str) -> Md:
        """A `see_also` entry: a stage, term, picklist or condition id, or `picklist.value`."""
        if "." in ref:
            picklist_id, _, value_id = ref.partition(".")
            return self.value(picklist_id, value_id)
        if self.model.stage(ref) is not None:
            return self.stage(ref)
        if ref in self.model.terms:
            return self.term(ref)
        if ref in self.model.picklists:
            return self.picklist(ref)
        if ref in self.model.conditions:
            return self.condition(ref)
        return inline(ref)


def value_anchor(picklist_id: str, value_id: str) -> str:
    return f"value-{slug(picklist_id)}-{slug(value_id)}"
