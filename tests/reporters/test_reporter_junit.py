"""JUnit XML as CI dashboards read it: one test per file, failing on errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st
from reporter_cases import d, fake_registry, report  # noqa: F401 (fixtures)
from test_reporter_junit_jenkins import jenkins_errors

from leadspec.diagnostics import Related, Report, Severity, Span
from leadspec.reporters import junit


def parse(report: Report) -> ET.Element:
    xml = junit.render(report)
    assert jenkins_errors(xml) == []
    return ET.fromstring(xml.encode("utf-8"))


def test_one_case_per_file_failing_only_on_errors(report: Report) -> None:
    root = parse(report)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == [
        "definitions/clean.yaml",
        "definitions/fields.yaml",
        "definitions/sales.yaml",
        junit.NO_FILE,
    ]
    assert {case.get("classname") for case in cases.values()} == {"leadspec"}
    assert (root.get("tests"), root.get("failures")) == ("4", "1")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "0")

    assert list(cases["definitions/clean.yaml"]) == []  # passes
    fields = cases["definitions/fields.yaml"]  # only a warning: passes, with the warning in its output
    assert fields.find("failure") is None
    assert (
        fields.findtext("system-out")
        == "definitions/fields.yaml:2:1: warning LS305 this exit can never be taken"
    )

    (failure,) = cases["definitions/sales.yaml"].findall("failure")
    assert failure.get("type") == "LS207 LS301"
    assert failure.get("message") == '2 errors, first: LS301 stages "mql" and "sal" overlap'
    assert failure.text == (
        'definitions/sales.yaml:3:3: error LS301 stages "mql" and "sal" overlap\n'
        '  definitions/sales.yaml:6:13: note: stage "sal" is entered here\n'
        "  example lead: lead_score=45, email_verified=true, annual_revenue=0.10\n"
        'definitions/sales.yaml:4:12: error LS207 unknown field "lead_scor"\n'
        '  definitions/fields.yaml:3:3: note: "lead_score" is declared here\n'
        '  hint: did you mean "lead_score"?'
    )
    assert cases[junit.NO_FILE].findtext("system-out").startswith("info LS901 ")


def test_single_error_uses_its_code_and_message() -> None:
    report = Report(
        files=["a.yaml"], diagnostics=[d("LS004", 'duplicate key "id"', Span("a.yaml", 3, 1), hint="rename")]
    )
    failure = parse(report).find("testsuite/testcase/failure")
    assert failure is not None
    assert (failure.get("type"), failure.get("message")) == ("LS004", 'duplicate key "id"')
    assert failure.text == 'a.yaml:3:1: error LS004 duplicate key "id"\n  hint: rename'


def test_a_finding_in_a_file_not_in_the_list_gets_its_own_case() -> None:
    report = Report(files=["a.yaml"], diagnostics=[d("LS902", "bad waiver", Span("pyproject.toml", 4, 1))])
    names = [case.get("name") for case in parse(report).iter("testcase")]
    assert names == ["a.yaml", "pyproject.toml"]


def test_clean_run_all_passing() -> None:
    root = parse(Report(files=["a.yaml", "b.yaml"]))
    assert (root.get("tests"), root.get("failures")) == ("2", "0")
    assert not list(root.iter("failure"))
    assert parse(Report()).get("tests") == "0"  # nothing checked at all is still a valid report


def test_characters_xml_cannot_hold_are_replaced() -> None:
    nasty = 'bad <tag> & "quote" \x00\x01\x0b\x1b\ufffe \ud800 end'
    report = Report(
        files=["we<ird>&\x02.yaml"],
        diagnostics=[
            d(
                "LS207",
                nasty,
                Span("we<ird>&\x02.yaml", 1, 1),
                related=(Related(Span("x.yaml", 1, 1), nasty),),
            ),
            d("LS207", nasty, Span("we<ird>&\x02.yaml", 2, 1), severity=Severity.WARNING),
        ],
    )
    out = junit.render(report)
    out.encode("utf-8")  # no lone surrogate left
    assert jenkins_errors(out) == []
    root = ET.fromstring(out.encode("utf-8"))
    case = root.find("testsuite/testcase")
    assert case is not None and case.get("name") == "we<ird>&\\x02.yaml"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == 'bad <tag> & "quote" \\x00\\x01\\x0b\\x1b\ufffe \\ud800 end'.replace(
        "\ufffe", "\\ufffe"
    )
    assert "\\x1b" in (case.findtext("system-out") or "")


# Any character at all, lone surrogates and control characters included.
ANY_TEXT = st.text(alphabet=st.one_of(st.characters(), st.characters(categories=["Cs", "Cc", "Co"])))


@given(message=ANY_TEXT, hint=ANY_TEXT, file=ANY_TEXT.filter(bool))
def test_any_text_gives_well_formed_xml(message: str, hint: str, file: str) -> None:
    report = Report(files=[file], diagnostics=[d("LS207", message, Span(file, 1, 1), hint=hint)])
    xml = junit.render(report)
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.get("failures") == "1"
    assert jenkins_errors(xml) == []
