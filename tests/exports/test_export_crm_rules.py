"""LS501-LS507 in `leadspec check`: each finding where a person can act on it, and silence otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_cases import DEFINITIONS, project

from conftest import run_cli

HEAD = "leadspec: 1\npicklists:\n"


def findings(tmp_path: Path, text: str, code: str) -> list[str]:
    project(tmp_path, text)
    result = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    return [line for line in result.stdout.splitlines() if f" {code} " in line]


def test_the_shared_test_definitions_are_clean(tmp_path: Path) -> None:
    project(tmp_path)
    result = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout


def test_bundled_definitions_have_no_crm_findings() -> None:
    from conftest import REPO

    result = run_cli(["check", "--format", "concise", str(REPO / "definitions")], cwd=REPO)
    assert not [line for line in result.stdout.splitlines() if " LS50" in line], result.stdout


# --- LS501 ----------------------------------------------------------------------------


def test_ls501_only_for_crms_in_use(tmp_path: Path) -> None:
    text = HEAD + (
        "  a: {label: A, crm: {hubspot: {}}, values: [{id: x, label: X}]}\n"
        "  b: {label: B, values: [{id: y, label: Y}]}\n"
    )
    found = findings(tmp_path, text, "LS501")
    assert found == [
        "definitions/defs.yaml:4:6: error LS501 the picklist `b` has no place in HubSpot, "
        "yet the definitions use HubSpot elsewhere, so its values would be missing there"
    ]
    assert findings(tmp_path, HEAD + "  b: {label: B, values: [{id: y, label: Y}]}\n", "LS501") == []


def test_ls501_the_stages_default_for_salesforce_but_not_for_dynamics(tmp_path: Path) -> None:
    stages = (
        "fields:\n  s: {label: S, type: integer, min: 0, max: 10}\n"
        "stages:\n  - {id: one, label: One, start: true, entry: s >= 0, terminal: true}\n"
    )
    text = (
        "leadspec: 1\n"
        + stages
        + "picklists:\n  a: {label: A, crm: {salesforce: {}}, values: [{id: x, label: X}]}\n"
    )
    assert findings(tmp_path, text, "LS501") == []
    text = text.replace("salesforce: {}", "dynamics: {global_option_set: new_a}")
    found = findings(tmp_path, text, "LS501")
    assert len(found) == 1 and "the lifecycle stages have no place in Dynamics 365" in found[0]


# --- LS502 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("crm", "message"),
    [
        ("salesforce: {standard_value_set: LeadStatuses}", "no standard value set named `LeadStatuses`"),
        ("salesforce: {object: Lead, field: Status}", "`Status` is a standard field"),
        ("salesforce: {field: Two__Underscores__c}", "not a valid custom field name"),
        ("salesforce: {field: A_field_name_that_is_far_too_long_for_salesforce__c}", "Salesforce allows 40"),
        ("salesforce: {global_value_set: Reasons__gvs}", "without `__gvs`"),
        ("hubspot: {object: deals, property: closed_lost_reason}", "is a text property, not a dropdown"),
        ("hubspot: {object: deals, property: dealstage}", "pipelines"),
        ("hubspot: {property: hs_my_reason}", "reserved for HubSpot's own properties"),
        ("hubspot: {property: My-Reason}", "not a valid HubSpot internal name"),
        ("dynamics: {entity: lead}", "no `global_option_set` is given"),
        ("dynamics: {global_option_set: reason}", "not a valid Dataverse name"),
        ("dynamics: {global_option_set: mscrm_reason}", "not a valid Dataverse name"),
        ("pipedrive: {object: leads}", "Pipedrive has no fields API for `leads`"),
    ],
)
def test_ls502_names_each_crm_refuses(tmp_path: Path, crm: str, message: str) -> None:
    text = HEAD + f"  a:\n    label: A\n    crm:\n      {crm}\n    values: [{{id: x, label: X}}]\n"
    found = findings(tmp_path, text, "LS502")
    assert len(found) == 1 and message in found[0], found


def test_ls502_points_at_the_bad_name(tmp_path: Path) -> None:
    text = (
        HEAD
        + "  a:\n    label: A\n    crm:\n      salesforce: {object: Lead, field: Status}\n    values: [{id: x, label: X}]\n"
    )
    assert findings(tmp_path, text, "LS502")[0].startswith("definitions/defs.yaml:6:41: error LS502")


def test_ls502_accepts_valid_names(tmp_path: Path) -> None:
    assert findings(tmp_path, DEFINITIONS, "LS502") == []


# --- LS503 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("crm", "value", "message"),
    [
        ("hubspot: {}", "api_name: 'a;b'", "contains `;`"),
        ("salesforce: {}", "api_name: ' padded'", "starts or ends with a space"),
        ("salesforce: {}", "api_name: " + "x" * 256, "has 256 characters; Salesforce allows 255"),
        ("dynamics: {global_option_set: new_a}", "crm: {dynamics: 5}", "outside the option value range"),
        (
            "dynamics: {global_option_set: new_a, option_value_prefix: 20000}",
            "crm: {dynamics: 100000001}",
            "(200000000 to 200009999)",
        ),
    ],
)
def test_ls503_api_values(tmp_path: Path, crm: str, value: str, message: str) -> None:
    text = (
        HEAD + f"  a:\n    label: A\n    crm: {{{crm}}}\n    values:\n      - {{id: x, label: X, {value}}}\n"
    )
    found = findings(tmp_path, text, "LS503")
    assert len(found) == 1 and message in found[0], found


# --- LS504 ----------------------------------------------------------------------------


def test_ls504_duplicates_with_both_places(tmp_path: Path) -> None:
    text = HEAD + (
        "  a:\n    label: A\n    values:\n"
        "      - {id: x, label: X, api_name: Fake}\n"
        "      - {id: y, label: Y, api_name: Fake}\n"
    )
    project(tmp_path, text)
    result = run_cli(["check"], cwd=tmp_path)
    assert (
        "definitions/defs.yaml:7:37: error LS504 `y` and `x` in the picklist `a` have the same API value"
        in result.stdout
    )
    assert "definitions/defs.yaml:6:37: note: `x` has it too" in result.stdout


def test_ls504_salesforce_ignores_case_but_csv_does_not(tmp_path: Path) -> None:
    values = (
        "    values:\n      - {id: x, label: X, api_name: Fake}\n      - {id: y, label: Y, api_name: fake}\n"
    )
    assert findings(tmp_path, HEAD + "  a:\n    label: A\n" + values, "LS504") == []
    found = findings(tmp_path, HEAD + "  a:\n    label: A\n    crm: {salesforce: {}}\n" + values, "LS504")
    assert len(found) == 1 and "(Salesforce ignores case) in Salesforce" in found[0]


def test_ls504_hubspot_and_pipedrive_need_unique_labels(tmp_path: Path) -> None:
    values = "    values:\n      - {id: x, label: Same}\n      - {id: y, label: Same}\n"
    for crm, words in (
        ("hubspot: {}", "HubSpot needs unique labels"),
        ("pipedrive: {}", "Pipedrive tells options"),
    ):
        found = findings(tmp_path, HEAD + f"  a:\n    label: A\n    crm: {{{crm}}}\n" + values, "LS504")
        assert len(found) == 1 and words in found[0], found
    assert (
        findings(tmp_path, HEAD + "  a:\n    label: A\n    crm: {salesforce: {}}\n" + values, "LS504") == []
    )


def test_ls504_dynamics_option_numbers_must_differ(tmp_path: Path) -> None:
    text = HEAD + (
        "  a:\n    label: A\n    crm: {dynamics: {global_option_set: new_a}}\n    values:\n"
        "      - {id: x, label: X, crm: {dynamics: 100000001}}\n"
        "      - {id: y, label: Y, crm: {dynamics: 100000001}}\n"
    )
    found = findings(tmp_path, text, "LS504")
    assert len(found) == 1 and "same option value in Dynamics 365 (`100000001`)" in found[0]


# --- LS505 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "column", "what"),
    [
        ('"No\\abudget"', 27, "U+0007"),
        ('"tab\\there"', 28, "a tab"),
        ('"right\\u202eleft"', 30, "U+202E"),
        ('"zero\\ufeffwidth"', 29, "U+FEFF"),
        ("'two\\nlines'", None, None),  # single quotes: a backslash and an n, no control character
    ],
)
def test_ls505_points_at_the_character(
    tmp_path: Path, label: str, column: int | None, what: str | None
) -> None:
    text = HEAD + f"  a:\n    label: A\n    values:\n      - {{id: x, label: {label}}}\n"
    found = findings(tmp_path, text, "LS505")
    if column is None:
        assert found == []
        return
    assert found == [
        f"definitions/defs.yaml:6:{column}: error LS505 the label of `x` in the picklist `a` contains "
        + ("a tab" if what == "a tab" else f"the invisible control character {what}")
        + ", which CRMs show as garbage or reject"
    ]


def test_ls505_in_a_block_scalar_description_and_a_per_crm_value(tmp_path: Path) -> None:
    text = HEAD + (
        "  a:\n    label: A\n    values:\n      - id: x\n        label: X\n"
        '        crm: {hubspot: "X\\u0000"}\n'
        "        description: |\n          first line\n          second\tline\n"
    )
    project(tmp_path, text)
    lines = [
        line
        for line in run_cli(["check", "--format", "concise"], cwd=tmp_path).stdout.splitlines()
        if "LS505" in line
    ]
    assert lines == [
        "definitions/defs.yaml:8:26: error LS505 the HubSpot value of `x` in the picklist `a` contains a NUL character, "
        "which CRMs show as garbage or reject",
        "definitions/defs.yaml:11:17: error LS505 the description of `x` in the picklist `a` contains a tab, "
        "which CRMs show as garbage or reject",
    ]


def test_ls505_allows_line_breaks_in_descriptions(tmp_path: Path) -> None:
    text = (
        HEAD
        + "  a:\n    label: A\n    description: |\n      one\n\n      two\n    values: [{id: x, label: X}]\n"
    )
    assert findings(tmp_path, text, "LS505") == []


# A picklist Salesforce gets, with one value's label left to the test: after `label: "Odd`
# the character is at line 12, column 30; after `label: Odd`, column 29.
SALESFORCE = """\
leadspec: 1
fields:
  s: {label: S, type: integer, min: 0, max: 10}
stages:
  - {id: one, label: One, start: true, entry: s >= 0, terminal: true}
picklists:
  reason:
    label: Reason
    crm:
      salesforce: {object: Lead, field: Reason__c}
    values:
      - {id: odd, label: LABEL, api_name: Odd}
      - {id: plain, label: Plain, api_name: Plain}
"""


def check_and_export(tmp_path: Path, label: str) -> tuple[list[str], object]:
    """`check`'s error lines, and what `export salesforce` did, for SALESFORCE with `label`."""
    project(tmp_path, SALESFORCE.replace("LABEL", label))
    checked = run_cli(["check", "--format", "concise"], cwd=tmp_path)
    errors = [line for line in checked.stdout.splitlines() if " error " in line]
    return errors, run_cli(["export", "salesforce", "--out", "out"], cwd=tmp_path)


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        ("\\uFFFE", "U+FFFE"),
        ("\\uffff", "U+FFFF"),
        ("\\uFDD0", "U+FDD0"),
        ("\\uFDEF", "U+FDEF"),
        ("\\U0001FFFE", "U+1FFFE"),
        ("\\U0010FFFF", "U+10FFFF"),
    ],
)
def test_ls505_a_noncharacter_written_as_an_escape(tmp_path: Path, escape: str, code: str) -> None:
    # Was: `check` said nothing, and `export salesforce` stopped with exit 2 and an unpositioned
    # "cannot export: U+FFFE cannot be written in XML (see LS505)" (U+FDD0 was even exported).
    finding = (
        f"definitions/defs.yaml:12:30: error LS505 the label of `odd` in the picklist `reason` contains "
        f"the Unicode noncharacter {code}, which CRMs show as garbage or reject"
    )
    errors, exported = check_and_export(tmp_path, f'"Odd{escape}one"')
    assert errors == [finding]
    assert exported.exit_code == 1
    assert finding in exported.stdout
    assert "nothing exported: fix the errors above first" in exported.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("char", "code"),
    [
        (
            "\ufdd0",
            "LS505 the label of `odd` in the picklist `reason` contains the Unicode noncharacter U+FDD0",
        ),
        (
            "\U0010ffff",
            "LS505 the label of `odd` in the picklist `reason` contains the Unicode noncharacter U+10FFFF",
        ),
        # YAML itself forbids U+FFFE and U+FFFF in a file: the reading finds it, at the same place.
        (
            "\ufffe",
            "LS002 the file contains the invisible control character U+FFFE, which YAML does not allow",
        ),
    ],
)
def test_ls505_a_noncharacter_written_raw(tmp_path: Path, char: str, code: str) -> None:
    errors, exported = check_and_export(tmp_path, f"Odd{char}one")
    assert len(errors) == 1 and errors[0].startswith(f"definitions/defs.yaml:12:29: error {code}")
    assert exported.exit_code == 1
    assert f"definitions/defs.yaml:12:29: error {code}" in exported.stdout
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("escape", ["\\uFDCF", "\\uFDF0", "\\uFFFD", "\\U0001FFFD"])
def test_ls505_the_neighbours_of_noncharacters_are_text(tmp_path: Path, escape: str) -> None:
    errors, exported = check_and_export(tmp_path, f'"Odd{escape}one"')
    assert errors == []
    assert exported.exit_code == 0, exported.stderr


def test_ls505_finds_every_character_it_looks_for_in_ordinary_text() -> None:
    """Ordinary text skips the per-character look (it is all printable): no character LS505 names may be printable."""
    import unicodedata

    from leadspec.exports import crmrules

    wanted = [
        char
        for char in map(chr, range(0x110000))
        if unicodedata.category(char) == "Cc"
        or ord(char) in crmrules._INVISIBLE
        or crmrules._noncharacter(ord(char))
    ]
    assert len(wanted) > 100
    assert all(crmrules._bad_character(f"Odd é {char}", allow_breaks=False) == 6 for char in wanted)
    assert all(
        crmrules._bad_character(f"Odd\né {char}", allow_breaks=True) == 6 for char in wanted if char != "\n"
    )


# --- LS506 ----------------------------------------------------------------------------


def test_ls506_too_many_values_for_salesforce(tmp_path: Path) -> None:
    values = "".join(f"      - {{id: v{i}, label: V{i}}}\n" for i in range(1001))
    text = HEAD + "  a:\n    label: A\n    crm: {salesforce: {}}\n    values:\n" + values
    found = findings(tmp_path, text, "LS506")
    assert len(found) == 1 and "has 1001 values; Salesforce allows 1000" in found[0]
    text = text.replace("salesforce: {}", "hubspot: {}")
    assert findings(tmp_path, text, "LS506") == []


def test_ls506_field_label_and_option_label_lengths(tmp_path: Path) -> None:
    long_label = "L" * 41
    text = (
        HEAD
        + f"  a:\n    label: {long_label}\n    crm: {{salesforce: {{}}}}\n    values: [{{id: x, label: X}}]\n"
    )
    found = findings(tmp_path, text, "LS506")
    assert len(found) == 1 and "field label, which allows 40 characters; it has 41" in found[0]
    text = (
        HEAD
        + f"  a:\n    label: A\n    crm: {{pipedrive: {{}}}}\n    values: [{{id: x, label: {'P' * 256}}}]\n"
    )
    found = findings(tmp_path, text, "LS506")
    assert len(found) == 1 and "Pipedrive allows 255" in found[0]


# --- LS507 ----------------------------------------------------------------------------


def test_ls507_lead_status_needs_a_converted_value(tmp_path: Path) -> None:
    base = (
        HEAD
        + "  s:\n    label: S\n    crm:\n      salesforce: {standard_value_set: LeadStatus%s}\n    values:\n"
    )
    values = "      - {id: open, label: Open}\n      - {id: done, label: Done, deprecated: true}\n"
    found = findings(tmp_path, base % "" + values, "LS507")
    assert len(found) == 1 and "which lead status marks a converted lead" in found[0]
    found = findings(tmp_path, base % ", converted: dne" + values, "LS507")
    assert len(found) == 1 and "`converted: dne` names no value of it" in found[0]
    found = findings(tmp_path, base % ", converted: done" + values, "LS507")
    assert len(found) == 1 and "names a deprecated value" in found[0]
    assert findings(tmp_path, base % ", converted: open" + values, "LS507") == []


def test_ls507_settings_salesforce_needs_that_leadspec_cannot_give(tmp_path: Path) -> None:
    text = (
        HEAD
        + "  s:\n    label: S\n    crm: {salesforce: {standard_value_set: OpportunityStage}}\n    values: [{id: x, label: X}]\n"
    )
    found = findings(tmp_path, text, "LS507")
    assert len(found) == 1 and "a probability, a forecast category" in found[0]


def test_ls507_dynamics_prefix_range(tmp_path: Path) -> None:
    text = HEAD + (
        "  s:\n    label: S\n    crm: {dynamics: {global_option_set: new_s, option_value_prefix: 123}}\n"
        "    values: [{id: x, label: X}]\n"
    )
    found = findings(tmp_path, text, "LS507")
    assert len(found) == 1 and "is not a number from 10000 to 99999" in found[0]


def test_ls502_two_picklists_in_one_place(tmp_path: Path) -> None:
    text = HEAD + (
        "  a: {label: A, crm: {hubspot: {property: reason}}, values: [{id: x, label: X}]}\n"
        "  b: {label: B, crm: {hubspot: {property: reason}}, values: [{id: y, label: Y}]}\n"
    )
    found = findings(tmp_path, text, "LS502")
    assert found == [
        "definitions/defs.yaml:4:32: error LS502 the picklist `b` and the picklist `a` both live in the property "
        "`reason` on contacts in HubSpot; the export would write one over the other"
    ]


def test_ls506_global_value_set_description(tmp_path: Path) -> None:
    text = HEAD + (
        f"  a:\n    label: A\n    description: {'d' * 256}\n"
        "    crm: {salesforce: {global_value_set: Reasons}}\n    values: [{id: x, label: X}]\n"
    )
    found = findings(tmp_path, text, "LS506")
    assert len(found) == 1 and "global value set's description" in found[0]
