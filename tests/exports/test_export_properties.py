"""Whatever text a label holds: `check` flags it (LS505) or every export carries it intact."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadspec.api import load
from leadspec.config import Config
from leadspec.exports import build
from leadspec.exports.writer import drift, write

NS = "{http://soap.sforce.com/2006/04/metadata}"
TEMPLATE = """\
leadspec: 1
picklists:
  reason:
    label: Reason
    crm:
      salesforce: {{object: Lead, field: Reason__c}}
      hubspot: {{property: reason}}
      dynamics: {{global_option_set: new_reason}}
      pipedrive: {{object: deal}}
    values:
      - {{id: odd, label: {label}, api_name: Odd}}
      - {{id: plain, label: Plain, api_name: Plain}}
"""


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar for any text: escapes for all but plain printable characters."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable() and code < 0xFFFE and char != "\u2028" and char != "\u2029":
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def invisible(text: str) -> bool:
    """A control or invisible character, or a Unicode noncharacter (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF)."""
    return any(
        unicodedata.category(c) == "Cc"
        or ord(c) in {0x2028, 0x2029, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
        or 0xFDD0 <= ord(c) <= 0xFDEF
        or ord(c) & 0xFFFE == 0xFFFE
        for c in text
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=30))
def test_a_label_is_flagged_or_survives_every_export(label: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "defs.yaml").write_text(TEMPLATE.format(label=yaml_quoted(label)), encoding="utf-8")
        loaded = load([root / "defs.yaml"], Config(root=root))
        codes = {d.code for d in loaded.report.diagnostics if d.severity.value == "error"}
        if invisible(label):
            assert "LS505" in codes
            return
        if codes - {"LS302"}:  # e.g. a label that only has spaces, or is the same as "Plain"
            return
        model = loaded.model
        sf = build.render(model, "salesforce")
        field = ET.fromstring(sf["force-app/main/default/objects/Lead/fields/Reason__c.field-meta.xml"])
        assert [v.findtext(f"{NS}label") for v in field.iter(f"{NS}value")][0] == label
        hubspot = json.loads(build.render(model, "hubspot")["properties/contacts/reason.create.json"])
        assert hubspot["options"][0]["label"] == label
        dynamics = json.loads(build.render(model, "dynamics")["optionsets/new_reason.json"])
        assert dynamics["Options"][0]["Label"]["LocalizedLabels"][0]["Label"] == label
        pipedrive = json.loads(build.render(model, "pipedrive")["fields/deal/reason.json"])
        assert pipedrive["options"][0]["label"] == label
        files = build.render(model, "csv")
        row = list(csv.reader(io.StringIO(files["values.csv"].decode("utf-8"))))[1]
        assert row[2] in (label, "'" + label)
        write(root / "out", files)
        assert drift(root / "out", files) == ""
