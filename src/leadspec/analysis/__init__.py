"""The exact lifecycle analysis (LS301-LS311): gaps, overlaps, hand-offs, with example leads.

`lifecycle.analyze(model, exprs)` is the entry point. The layers, bottom up:
`domains` cuts each field's domain into cells, `boxes` packs one value set per
field into an integer, `diagrams` holds regions of leads as decision diagrams
over those cells, `space` ties them to a model's fields and converts leads,
`criteria` turns expression trees into regions, `words` says a region in plain
words. No solver: everything is decided over finitely many cells, exactly.
"""
