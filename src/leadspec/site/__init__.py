"""The glossary site: one published set of pages that sales and marketing both read.

`content.generate(context, root)` turns a checked model into Markdown pages (a
pure function: same definitions, same bytes); `build` writes them under `site/`
and runs mkdocs (Material theme) on them, strictly and offline. The templates,
the default `mkdocs.yml` and the stylesheet ship inside the package, so an
installed leadspec builds any company's site. Definition text reaches a page
only through `markup` (Markdown) or jinja2's autoescaping (SVG), so it is
always shown as text and never run.
"""
