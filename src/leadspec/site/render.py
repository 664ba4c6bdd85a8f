"""The two template environments: Markdown pages, and SVG/HTML fragments.

Markdown pages print every value through `markup.inline` unless it is already
`Md` (finalize), so forgetting a filter shows text, never markup. SVG and HTML
fragments use jinja2's HTML autoescaping. Both are cached: building the site
renders a few dozen templates.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from leadspec.site import markup


def _loader() -> jinja2.BaseLoader:
    return jinja2.PackageLoader("leadspec.site", "templates")


@lru_cache(maxsize=1)
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in jinja2's private per-user folder in the system temp folder.

    Compiling the templates is most of the time generation takes; the cache is keyed
    by each template's source, so an edited template is simply compiled again.
    """
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no usable temp folder: compile every time
        return None


def _lower_first(text: str) -> markup.Md:
    """ "Email verified is yes" -> "email verified is yes", but "ICP fit score" stays as it is."""
    text = str(text)
    keep = len(text) > 1 and text[1].isupper()
    return markup.inline(text if keep else text[:1].lower() + text[1:])


@lru_cache(maxsize=1)
def markdown_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_loader(),
        bytecode_cache=_bytecode_cache(),
        autoescape=False,
        finalize=markup.inline,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        block=markup.block,
        cell=markup.cell,
        code=markup.code,
        code_block=markup.code_block,
        inline=markup.inline,
        sentence=lambda text: markup.inline(str(text)[:1].upper() + str(text)[1:]),
        lower_first=_lower_first,
    )
    env.globals.update(
        anchor=markup.heading_anchor,
        para_anchor=markup.paragraph_anchor,
        inline_anchor=markup.inline_anchor,
    )
    return env


@lru_cache(maxsize=1)
def html_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=_loader(),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
