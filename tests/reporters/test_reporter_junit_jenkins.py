"""JUnit XML that Jenkins reads: valid against the xUnit plugin's own schema.

Jenkins' xUnit plugin checks a report against junit-10.xsd before it reads it and
drops a report that does not match (it did, for `skipped` on <testsuites>). The
schema is vendored under schemas/ (origin and licence in the file). These tests
run the real command with the real rules, so they live apart from the reporter's
unit tests, which stand a small registry of their own in.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from conftest import REPO, run_cli
from leadspec.diagnostics import Report
from leadspec.reporters import junit

JENKINS_XSD = Path(__file__).parent / "schemas" / "junit-10.xsd"


@functools.cache
def jenkins_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(JENKINS_XSD)


def jenkins_errors(xml: str) -> list[str]:
    """What Jenkins' xUnit plugin would say about a report: each schema error with its place."""
    return [f"{error.path}: {error.reason}" for error in jenkins_schema().iter_errors(xml)]


@pytest.mark.parametrize("folder", ["bundled", "LS201-duplicate-across-files", "LS901-waivers"])
def test_jenkins_reads_what_leadspec_check_writes(folder: str) -> None:
    """The whole command, on the bundled definitions (clean) and on failing runs."""
    cwd = REPO if folder == "bundled" else REPO / "tests" / "cases" / folder
    result = run_cli(
        ["check", "--format", "junit", *([] if folder == "bundled" else ["definitions"])], cwd=cwd
    )
    assert result.exit_code == (0 if folder == "bundled" else 1), result.stderr
    assert jenkins_errors(result.stdout) == []
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.get("tests") == str(len(root.findall("testsuite/testcase")))


def test_the_schema_does_reject_what_jenkins_refuses() -> None:
    """Guards the tests above: `skipped` on <testsuites> is what the schema caught."""
    xml = junit.render(Report(files=["a.yaml"])).replace("<testsuites ", '<testsuites skipped="0" ', 1)
    assert jenkins_errors(xml) != []
