"""CRM exports: the lifecycle stages and every picklist as files each CRM's own tooling loads.

One module per target (`salesforce`, `hubspot`, `dynamics`, `pipedrive`, `csv`), each with
`render(model) -> dict[str, bytes]` (relative path -> exact file content); `dbt`, a package for
the warehouse (`DATA_TARGETS`), renders from the checked membership rule and its own options.
Shared pieces:
`picklists` (the stages and picklists as one list of value sets, with stable API values),
`homes` (where each set lives in each CRM, with defaults), `crmrules` (the per-CRM naming
and limit checks behind LS501-LS507), `writer` (atomic, symlink-safe writing and the drift
check). This package imports nothing heavy, so `leadspec check` may use the CRM rules.
"""

from __future__ import annotations

TARGETS: tuple[str, ...] = ("salesforce", "hubspot", "dynamics", "pipedrive", "csv")
DATA_TARGETS: tuple[str, ...] = ("dbt",)  # for the warehouse, not a CRM: own options, no CRM rules
CRMS: tuple[str, ...] = ("salesforce", "hubspot", "dynamics", "pipedrive")
