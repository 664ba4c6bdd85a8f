"""Definitions the export tests share: every CRM mapped, every kind of value set used."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, write_definitions

DEFINITIONS = """\
leadspec: 1
lifecycle:
  crm:
    salesforce: {object: Lead, field: Lifecycle_Stage__c}
    hubspot: {object: contacts, property: lifecyclestage}
    dynamics: {global_option_set: new_lifecyclestage, entity: lead, attribute: new_lifecyclestage}
    pipedrive: {object: lead}
fields:
  lead_score: {label: Lead score, type: integer, min: 0, max: 100}
stages:
  - id: lead
    label: Lead
    start: true
    api_name: Lead
    crm: {hubspot: lead}
    entry: lead_score < 50
    terminal: true
  - id: mql
    label: Marketing Qualified Lead
    start: true
    api_name: MQL
    crm: {hubspot: marketingqualifiedlead}
    entry: lead_score >= 50
    terminal: true
picklists:
  lead_status:
    label: Lead status
    crm:
      salesforce: {standard_value_set: LeadStatus, converted: converted, default: new}
      hubspot: {object: contacts, property: hs_lead_status}
      dynamics: {global_option_set: new_leadstatus}
      pipedrive: {object: person}
    values:
      - {id: new, label: New, api_name: New, crm: {hubspot: NEW}}
      - {id: working, label: Working, api_name: Working, crm: {hubspot: IN_PROGRESS}}
      - {id: converted, label: Converted, api_name: Converted, crm: {hubspot: OPEN_DEAL}}
  loss_reason:
    label: Loss reason
    description: Why the prospect did not buy.
    crm:
      salesforce: {global_value_set: Loss_Reasons, object: Opportunity, field: Loss_Reason__c}
      hubspot: {object: deals, property: loss_reason}
      dynamics: {global_option_set: new_lossreason, option_value_prefix: 20000, language_code: 1031}
      pipedrive: {object: deal}
    values:
      - id: price
        label: Price & "packaging" <too high>
        api_name: Price
        description: Cheaper <elsewhere> & 'faster'
        crm: {dynamics: 200000001}
      - {id: competitor, label: "=HYPERLINK(\\"http://x\\")", api_name: Competitor}
      - {id: timing, label: "+Timing", api_name: "-Timing"}
      - {id: old_reason, label: "@Old reason", api_name: Old, deprecated: true, replaced_by: price}
  rejection_reason:
    label: Rejection reason
    crm:
      salesforce: {}
      hubspot: {}
      dynamics: {global_option_set: new_rejectionreason}
      pipedrive: {}
    values:
      - {id: no_budget, label: Kein Budget – später, then: lead}
      - {id: spam, label: Spam, then: lead}
"""


def project(root: Path, text: str = DEFINITIONS) -> Path:
    """A folder with a pyproject.toml and definitions/defs.yaml; returns it."""
    write_definitions(root, {"defs.yaml": text})
    (root / "pyproject.toml").write_text("[tool.leadspec]\n", encoding="utf-8")
    return root


def export(root: Path, target: str, out: str = "out", *extra: str):  # type: ignore[no-untyped-def]
    return run_cli(["export", target, "--out", out, *extra], cwd=root)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
