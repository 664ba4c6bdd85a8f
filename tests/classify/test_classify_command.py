"""`leadspec classify`: what a marketing-ops person sees running the definitions over a CRM export."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from classify_support import FIXTURES, REPO, csv_text, jsonl_text

from conftest import run_cli

HEADER = [
    "Lead_Score__c",
    "Email_Verified__c",
    "AnnualRevenue",
    "SDR_Status__c",
    "Is_Partner__c",
    "Region__c",
    "Email",
]
# Worked out by hand from fixtures/small.yaml; the row number is the spreadsheet row (header = 1).
ROWS = [
    (["45", "true", "", "open", "false", "emea", "a@example.com"], "cold"),  # 2: score below 50
    (["50", "true", "", "open", "false", "", "b@example.com"], "mql"),  # 3: exactly 50, verified
    (["50", "false", "", "open", "false", "", "c@example.com"], "cold"),  # 4: not verified
    (
        ["10", "true", "1000.5", "accepted", "false", "na", "d@example.com"],
        "big_deal",
    ),  # 5: revenue at the bound
    (["10", "true", "1000.49", "accepted", "false", "", "e@example.com"], "small_deal"),  # 6: just below
    (["10", "true", "", "accepted", "false", "", "f@example.com"], "small_deal"),  # 7: blank revenue
    (["99", "yes", "", "rejected", "no", "", "g@example.com"], "rejected"),  # 8: yes/no spelled out
    (["99", "true", "", "open", "true", "", "h@example.com"], ""),  # 9: a partner: outside the scope
]


def project(tmp_path: Path, definitions: str = "small.yaml", config: str | None = None) -> Path:
    folder = tmp_path / "definitions"
    folder.mkdir()
    shutil.copy(FIXTURES / definitions, folder / "defs.yaml")
    (tmp_path / "pyproject.toml").write_text(config or "[tool.leadspec]\n", encoding="utf-8")
    return tmp_path


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def out_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def table_line(stdout: str, start: str) -> list[str]:
    line = next(line for line in stdout.splitlines() if line.startswith(start))
    return line[len(start) :].split()


def test_small_export_counts_each_stage_and_writes_each_records_stage(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "leads.csv", csv_text(HEADER, [cells for cells, _ in ROWS]))
    result = run_cli(["classify", "leads.csv", "--out", "stages.csv"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Classified 8 records from leads.csv." in out
    assert table_line(out, "Cold (cold)")[:2] == ["2", "25.0%"]
    assert table_line(out, "MQL (mql)")[:2] == ["1", "12.5%"]
    assert table_line(out, "Big deal (big_deal)")[0] == "1"
    assert table_line(out, "Small deal (small_deal)")[0] == "2"
    assert table_line(out, "Rejected (rejected)")[0] == "1"
    assert table_line(out, "Outside the lifecycle's scope")[0] == "1"
    assert table_line(out, "In no stage")[0] == "0"
    assert table_line(out, "Total")[0] == "8"
    assert "lead_score <- Lead_Score__c" in out
    assert "Values outside" not in out
    written = out_rows(tmp_path / "stages.csv")
    assert written[0] == ["row", "stage", "note"]
    assert [(int(r), stage) for r, stage, _ in written[1:]] == [
        (i + 2, stage) for i, (_, stage) in enumerate(ROWS)
    ]
    assert written[-1][2] == "outside the lifecycle's scope"
    assert "Wrote each record's stage to stages.csv" in result.stderr


def test_json_lines_give_the_same_answers_numbers_and_booleans_as_json(tmp_path: Path) -> None:
    project(tmp_path)
    records = []
    for cells, _ in ROWS:
        record: dict[str, object] = dict(zip(HEADER, cells, strict=True))
        record["Lead_Score__c"] = int(cells[0])  # JSON numbers and booleans, and text, are all read
        record["Email_Verified__c"] = cells[1] == "true" if cells[1] in ("true", "false") else cells[1]
        if cells[2]:
            record["AnnualRevenue"] = json.loads(cells[2])
        else:
            record["AnnualRevenue"] = None
        records.append(record)
    write(
        tmp_path,
        "leads.jsonl",
        jsonl_text(records).replace('"AnnualRevenue": 1000.5', '"AnnualRevenue": 1000.50'),
    )
    result = run_cli(["classify", "leads.jsonl", "--out", "stages.csv", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "jsonl"
    assert document["stages"] == {"cold": 2, "mql": 1, "big_deal": 1, "small_deal": 2, "rejected": 1}
    assert document["outside_scope"] == {"records": 1}
    written = out_rows(tmp_path / "stages.csv")
    assert [stage for _, stage, _ in written[1:]] == [stage for _, stage in ROWS]
    assert [int(line) for line, _, _ in written[1:]] == list(range(1, 9))  # JSON Lines: numbered by line


def test_input_format_overrides_the_extension(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "leads.txt", jsonl_text([dict(zip(HEADER, cells, strict=True)) for cells, _ in ROWS]))
    as_csv = run_cli(["classify", "leads.txt"], cwd=tmp_path)
    assert as_csv.exit_code == 2 and "has no column for" in as_csv.stderr  # a JSON line is no CSV header
    result = run_cli(["classify", "leads.txt", "--input-format", "jsonl", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stages"]["small_deal"] == 2


def test_a_map_file_names_the_columns_and_fields_it_leaves_out_are_matched_by_name(tmp_path: Path) -> None:
    project(tmp_path)
    header = ["Score", "Verified?", "Revenue (USD)", "sdr_status", "Partner", "Region__c", "Email"]
    write(tmp_path, "leads.csv", csv_text(header, [cells for cells, _ in ROWS]))
    write(
        tmp_path,
        "map.yaml",
        "Score: lead_score\nVerified?: email_verified\n'Revenue (USD)': revenue\nPartner: is_partner\n",
    )
    result = run_cli(["classify", "leads.csv", "--map", "map.yaml", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["stages"]["small_deal"] == 2
    assert document["columns"]["lead_score"] == "Score"
    assert document["columns"]["sdr_status"] == "sdr_status"  # by the field's own id
    write(
        tmp_path,
        "map.json",
        json.dumps(
            {
                "Score": "lead_score",
                "Verified?": "email_verified",
                "Revenue (USD)": "revenue",
                "Partner": "is_partner",
            }
        ),
    )
    again = run_cli(["classify", "leads.csv", "--map", "map.json", "--format", "json"], cwd=tmp_path)
    assert json.loads(again.stdout)["stages"] == document["stages"]


def test_a_missing_column_names_the_field_and_every_name_tried(tmp_path: Path) -> None:
    project(tmp_path)
    header = ["Score", "Email_Verified__c", "AnnualRevenue", "SDR_Status__c", "Is_Partner__c"]
    write(tmp_path, "leads.csv", csv_text(header, [["45", "true", "", "open", "false"]]))
    result = run_cli(["classify", "leads.csv"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "leads.csv has no column for a field the criteria need" in result.stderr
    assert (
        "`lead_score` (Lead score): looked for lead_score, Lead_Score__c, hubspotscore (also ignoring case)"
        in (result.stderr)
    )
    assert "(no column map given)" in result.stderr
    assert "The columns of leads.csv: 'Score', 'Email_Verified__c'" in result.stderr  # to pick from
    write(tmp_path, "map.yaml", "Revenue: revenue\n")
    mapped = run_cli(["classify", "leads.csv", "--map", "map.yaml"], cwd=tmp_path)
    assert mapped.exit_code == 2
    assert "the column 'Revenue', which leads.csv does not have" in mapped.stderr


def test_a_map_naming_no_field_or_written_wrong_is_refused_plainly(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "leads.csv", csv_text(HEADER, [ROWS[0][0]]))
    write(tmp_path, "map.yaml", "Lead_Score__c: lead_scor\n")
    result = run_cli(["classify", "leads.csv", "--map", "map.yaml"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "names `lead_scor`, which is no field (did you mean `lead_score`?)" in result.stderr
    write(tmp_path, "broken.yaml", "Lead_Score__c: [lead_score\n")
    broken = run_cli(["classify", "leads.csv", "--map", "broken.yaml"], cwd=tmp_path)
    assert broken.exit_code == 2 and "is not valid YAML" in broken.stderr
    write(tmp_path, "list.yaml", "- lead_score\n")
    listed = run_cli(["classify", "leads.csv", "--map", "list.yaml"], cwd=tmp_path)
    assert listed.exit_code == 2 and "should map column names to field ids" in listed.stderr
    assert "Traceback" not in broken.stderr + listed.stderr


def test_a_ragged_row_is_reported_with_its_row_number_and_the_rest_is_classified(tmp_path: Path) -> None:
    project(tmp_path)
    text = csv_text(HEADER, [cells for cells, _ in ROWS[:3]])
    text += "45,true\n\n"  # row 5: two cells; row 6: a blank line, which is no record
    text += ",".join(ROWS[1][0]) + ",extra\n"  # row 7: one cell too many
    text += ",".join(ROWS[1][0]) + "\n"  # row 8
    write(tmp_path, "leads.csv", text)
    result = run_cli(["classify", "leads.csv", "--out", "stages.csv"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "row 5: has 2 cells, the header has 7" in result.stdout
    assert "row 7: has 8 cells, the header has 7" in result.stdout
    assert table_line(result.stdout, "Unreadable")[0] == "2"
    assert table_line(result.stdout, "MQL (mql)")[0] == "2"
    written = {int(row): (stage, note) for row, stage, note in out_rows(tmp_path / "stages.csv")[1:]}
    assert written[5] == ("", "unreadable: has 2 cells, the header has 7")
    assert written[8] == ("mql", "")
    assert 6 not in written


@pytest.mark.parametrize(
    "in_order_up_to,piece,numbered",
    [(1000, 2, False), (1000, 250_000, False), (0, 250_000, False), (1000, 2, True), (0, 250_000, True)],
)
def test_out_keeps_file_order_whichever_way_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_order_up_to: int, piece: int, numbered: bool
) -> None:
    """--out is written in pieces (a piece with rejected rows in it sorted alone), in one piece,
    or (past IN_ORDER_UP_TO rejected rows) by one sort, the records numbered by their place in
    the classified file or
    (`numbered`, when DuckDB would not keep their order) as they are read: every way gives
    the same file, rows in file order."""
    monkeypatch.setattr("leadspec.classify.IN_ORDER_UP_TO", in_order_up_to)
    monkeypatch.setattr("leadspec.classify.PIECE", piece)
    if numbered:
        monkeypatch.setattr("leadspec.classify.Run._in_order", lambda self, select: False)
    project(tmp_path)
    good = [cells for cells, _ in ROWS]
    text = csv_text(HEADER, [])  # the header
    text += "45\n"  # row 2: rejected, the first row after the header
    text += "".join(",".join(cells) + "\n" for cells in good[:3])  # rows 3-5
    text += "45,true\n"  # row 6: rejected
    text += "\n"  # row 7: blank
    text += "".join(",".join(cells) + "\n" for cells in good[3:6])  # rows 8-10
    text += "1,2,3\n" + "45\n"  # rows 11, 12: rejected
    text += "".join(",".join(cells) + "\n" for cells in good[6:])  # rows 13-14
    write(tmp_path, "leads.csv", text)
    for out in ("stages.csv", "stages.parquet"):
        result = run_cli(["classify", "leads.csv", "--out", out, "--keep", "Email"], cwd=tmp_path)
        assert result.exit_code == 0, result.stderr
    written = out_rows(tmp_path / "stages.csv")
    assert written[0] == ["row", "stage", "note", "Email"]
    assert [int(row[0]) for row in written[1:]] == [2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14]
    stages = {int(row[0]): row[1] for row in written[1:]}
    expected = [stage for _, stage in ROWS]
    assert [stages[row] for row in (3, 4, 5, 8, 9, 10, 13, 14)] == expected
    assert all(stages[row] == "" for row in (2, 6, 11, 12))
    parquet = (
        duckdb.connect()
        .execute(f"SELECT row, stage, note, Email FROM read_parquet('{tmp_path / 'stages.parquet'}')")
        .fetchall()
    )
    assert [["" if cell is None else str(cell) for cell in row] for row in parquet] == written[1:]


def test_a_blank_line_and_bytes_that_are_not_text_in_one_file_are_each_one_row(tmp_path: Path) -> None:
    """Found by the random-records test in CI: with a blank line present, the blank-line count read the
    file as UTF-8 lines and stopped with an engine error at the first byte that was not text."""
    project(tmp_path)
    text = csv_text(HEADER, [cells for cells, _ in ROWS[:2]]).encode("utf-8")  # rows 2 and 3
    text += b"\n"  # row 4: a blank line
    text += ",".join(ROWS[1][0]).encode("utf-8").replace(b"true", b"tr\xe9") + b"\n"  # row 5: not UTF-8
    text += ",".join(ROWS[1][0]).encode("utf-8") + b"\n"  # row 6
    (tmp_path / "leads.csv").write_bytes(text)
    result = run_cli(["classify", "leads.csv", "--out", "stages.csv", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [row["row"] for row in document["unreadable"]["rows"]] == [5]
    assert "not text" in document["unreadable"]["rows"][0]["problem"]
    written = {int(row): stage for row, stage, _ in out_rows(tmp_path / "stages.csv")[1:]}
    assert sorted(written) == [2, 3, 5, 6]
    assert written[6] == written[3] != ""


def test_an_empty_line_inside_a_quoted_cell_is_no_blank_row(tmp_path: Path) -> None:
    """Found by the random-records test: an empty line inside quotes (a note pasted with a blank
    line) was counted as a blank row, shifting every row number after it by one."""
    project(tmp_path)
    cells = [list(cells) for cells, _ in ROWS[:3]]
    cells[1][-1] = "first line\n\nthird line"  # row 3: one record over three lines
    text = csv_text(HEADER, cells)  # rows 2, 3, 4
    text += "\n"  # row 5: a real blank line
    text += ",".join(ROWS[3][0]) + "\n"  # row 6
    write(tmp_path, "leads.csv", text)
    result = run_cli(["classify", "leads.csv", "--out", "stages.csv", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    written = {int(row): stage for row, stage, _ in out_rows(tmp_path / "stages.csv")[1:]}
    assert written == {2: "cold", 3: "mql", 4: "cold", 6: "big_deal"}


def test_a_broken_quote_is_an_unreadable_row_not_a_crash(tmp_path: Path) -> None:
    project(tmp_path)
    text = csv_text(HEADER, [ROWS[0][0]]) + '45,"tr"ue,,open,false,,x\n' + ",".join(ROWS[1][0]) + "\n"
    write(tmp_path, "leads.csv", text)
    result = run_cli(["classify", "leads.csv", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["unreadable"]["records"] == 1
    assert document["unreadable"]["rows"][0]["row"] == 3
    assert "cannot be read as CSV" in document["unreadable"]["rows"][0]["problem"]
    assert document["stages"]["cold"] == 1 and document["stages"]["mql"] == 1


def test_a_bad_json_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    project(tmp_path)
    good = dict(zip(HEADER, ROWS[1][0], strict=True))
    text = json.dumps(good) + "\n" + '{"Lead_Score__c": 45, oops}\n' + "[1, 2]\n" + json.dumps(good) + "\n"
    write(tmp_path, "leads.ndjson", text)
    result = run_cli(["classify", "leads.ndjson"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (
        "line 2: is not valid JSON (Expecting property name enclosed in double quotes at character 23)"
        in (result.stdout)
    )
    assert "line 3: is not a JSON object ({...})" in result.stdout
    assert table_line(result.stdout, "MQL (mql)")[0] == "2"
    assert table_line(result.stdout, "Unreadable")[0] == "2"


def test_a_file_with_no_json_object_says_so_instead_of_listing_missing_columns(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "leads.jsonl", csv_text(HEADER, [ROWS[0][0]]))  # a CSV file named .jsonl
    write(tmp_path, "binary.jsonl", bytes(range(256)) * 4)
    for name in ("leads.jsonl", "binary.jsonl"):
        result = run_cli(["classify", name], cwd=tmp_path)
        assert result.exit_code == 2, result.stderr
        assert f"no line of {name} is a JSON object" in result.stderr
        assert "--input-format csv" in result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_values_outside_a_fields_domain_are_counted_per_field_with_three_example_rows(tmp_path: Path) -> None:
    project(tmp_path)
    base = ROWS[1][0]
    records = [
        ["150", *base[1:]],  # 2: above the maximum
        ["n/a", *base[1:]],  # 3: not a number
        ["45.5", *base[1:]],  # 4: not a whole number
        ["-1", *base[1:]],  # 5
        [base[0], "maybe", *base[2:]],  # 6: not true or false
        [base[0], base[1], base[2], "Open", *base[4:]],  # 7: wrong case: values compare case-sensitively
        [base[0], base[1], base[2], "", *base[4:]],  # 8: required, empty
        [base[0], base[1], base[2], base[3], base[4], "APAC", base[6]],  # 9: a field no criterion reads
    ]
    write(tmp_path, "leads.csv", csv_text(HEADER, records))
    result = run_cli(["classify", "leads.csv", "--out", "stages.csv"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "lead_score (Lead score), column 'Lead_Score__c': 4 records, rows 2, 3, 4" in out
    assert 'should be a whole number from 0 to 100 (required); found "150", "n/a", "45.5"' in out
    assert "email_verified (Email verified), column 'Email_Verified__c': 1 record, row 6" in out
    assert "sdr_status (SDR status), column 'SDR_Status__c': 2 records, rows 7, 8" in out
    assert 'found "Open" (did you mean open?), (empty)' in out
    assert "region (Region), column 'Region__c': 1 record, row 9" in out
    written = {int(row): (stage, note) for row, stage, note in out_rows(tmp_path / "stages.csv")[1:]}
    assert written[2] == ("mql", "outside the domain: lead_score")  # 150 is at least 50: read as written
    assert written[3] == ("", "in no stage; outside the domain: lead_score")  # no comparison matches "n/a"
    assert written[7] == ("", "in no stage; outside the domain: sdr_status")  # "Open" is not the value open
    assert written[8] == ("", "in no stage; outside the domain: sdr_status")
    assert written[9] == ("mql", "outside the domain: region")
    document = json.loads(run_cli(["classify", "leads.csv", "--format", "json"], cwd=tmp_path).stdout)
    fields = {item["field"]: item for item in document["outside_domain"]}
    assert fields["lead_score"]["records"] == 4 and fields["lead_score"]["rows"] == [2, 3, 4]
    assert fields["sdr_status"]["required"] is True and fields["sdr_status"]["rows"] == [7, 8]
    assert "matched_ignoring_case" not in document


def test_the_examples_of_a_field_are_its_first_different_values_in_the_file(tmp_path: Path) -> None:
    """Up to three different cells among the field's first nine problem rows, whatever stage those rows are in."""
    project(tmp_path)
    cold = ["", "false", "", "open", "false", "", "x@example.com"]  # not verified: cold whatever the score
    records = [
        ["n/a", *cold[1:]],  # 2
        ["n/a", *cold[1:]],  # 3
        ["n/a", *cold[1:]],  # 4
        ["-5", *cold[1:]],  # 5: the fourth row of the same stage, a different value
        ["200", "true", *cold[2:]],  # 6: verified and at least 50: an MQL
        ["300", *cold[1:]],  # 7
    ]
    write(tmp_path, "leads.csv", csv_text(HEADER, records))
    result = run_cli(["classify", "leads.csv"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "lead_score (Lead score), column 'Lead_Score__c': 6 records, rows 2, 3, 4" in result.stdout
    assert 'found "n/a", "-5", "200"' in result.stdout


def test_a_cell_that_is_not_utf8_makes_its_row_unreadable_and_says_how_to_fix_the_header(
    tmp_path: Path,
) -> None:
    project(tmp_path)
    text = csv_text(HEADER, [ROWS[0][0], ROWS[1][0]]).encode("utf-8")
    text += b"45,true,,op\xe9n,false,,x@example.com\n"
    write(tmp_path, "leads.csv", text)
    result = run_cli(["classify", "leads.csv", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["unreadable"]["records"] == 1
    assert document["unreadable"]["rows"] == [
        {
            "row": 4,
            "problem": "holds bytes that are not text in the file's encoding (try --encoding cp1252 for Excel files)",
        }
    ]
    header = "Lead_Score__c,Email_Verified__c,AnnualRevenue,SDR_Status__c,Is_Partner__c,R\xe9gion\n".encode(
        "cp1252"
    )
    write(tmp_path, "excel.csv", header + b"45,true,,open,false,\n")
    excel = run_cli(["classify", "excel.csv"], cwd=tmp_path)
    assert excel.exit_code == 2
    assert "try --encoding cp1252" in excel.stderr
    fixed = run_cli(["classify", "excel.csv", "--encoding", "cp1252", "--format", "json"], cwd=tmp_path)
    assert fixed.exit_code == 0, fixed.stderr
    assert json.loads(fixed.stdout)["stages"]["cold"] == 1


def test_records_in_two_stages_or_none_are_listed_with_rows_when_check_is_told_to_let_them_pass(
    tmp_path: Path,
) -> None:
    project(tmp_path, config='[tool.leadspec]\nignore = ["LS301", "LS302"]\n')
    definitions = (tmp_path / "definitions" / "defs.yaml").read_text(encoding="utf-8")
    definitions = definitions.replace(
        "lead_score >= 50 and email_verified", "lead_score >= 40 and email_verified"
    )
    definitions = definitions.replace("not revenue >= 1000.5", "revenue < 1000")
    (tmp_path / "definitions" / "defs.yaml").write_text(definitions, encoding="utf-8")
    records = [
        ["45", "true", "", "open", "false", "", "x"],  # 2: Cold (45 < 50) and MQL (45 >= 40)
        ["45", "true", "", "open", "false", "", "x"],  # 3: the same
        ["60", "true", "", "open", "false", "", "x"],  # 4: MQL only
        ["10", "true", "", "accepted", "false", "", "x"],  # 5: blank revenue: no stage now
        ["10", "true", "1000.2", "accepted", "false", "", "x"],  # 6: between the two deals
    ]
    write(tmp_path, "leads.csv", csv_text(HEADER, records))
    result = run_cli(["classify", "leads.csv", "--out", "stages.csv"], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert table_line(result.stdout, "In 2 stages: Cold + MQL")[:2] == ["2", "40.0%"]
    assert "rows 2, 3" in result.stdout
    assert table_line(result.stdout, "In no stage")[:4] == ["2", "40.0%", "rows", "5,"]
    assert "reports the criteria (LS301)" in result.stdout
    written = {int(row): (stage, note) for row, stage, note in out_rows(tmp_path / "stages.csv")[1:]}
    assert written[2] == ("cold;mql", "in 2 stages")
    assert written[5] == ("", "in no stage")


def test_definitions_with_errors_are_printed_and_nothing_is_classified(tmp_path: Path) -> None:
    project(tmp_path)
    path = tmp_path / "definitions" / "defs.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("lead_score < 50", "lead_scor < 50"), encoding="utf-8"
    )
    write(tmp_path, "leads.csv", csv_text(HEADER, [ROWS[0][0]]))
    result = run_cli(["classify", "leads.csv", "--out", "stages.csv"], cwd=tmp_path)
    assert result.exit_code == 1
    assert "LS207" in result.stdout
    assert "nothing classified" in result.stderr
    assert not (tmp_path / "stages.csv").exists()


def test_plain_refusals_for_files_that_cannot_be_classified(tmp_path: Path) -> None:
    project(tmp_path)
    write(tmp_path, "empty.csv", "")
    write(tmp_path, "leads.csv", csv_text(HEADER, [ROWS[0][0]]))
    cases = [
        (["classify", "nothing.csv"], "nothing.csv: no such file"),
        (["classify", "empty.csv"], "empty.csv is empty: a CSV file needs a header row"),
        (["classify", "leads.csv", "--out", "leads.csv"], "--out names the file being read"),
        (["classify", "leads.csv", "--encoding", "klingon"], "'klingon' is no text encoding"),
        (["classify", "leads.csv", "--delimiter", ";;"], "--delimiter must be one character"),
        (["classify", "leads.csv", "--map", "nomap.yaml"], "cannot read the column map nomap.yaml"),
        (["classify", "leads.csv", "--encoding", "utf-16"], "leads.csv cannot be read as utf-16 text"),
        (["classify", "leads.csv", "--out", "folder"], "cannot write folder: "),
    ]
    (tmp_path / "folder").mkdir()
    for args, message in cases:
        result = run_cli(args, cwd=tmp_path)
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert (tmp_path / "leads.csv").read_text(encoding="utf-8").startswith("Lead_Score__c")
    assert not list(tmp_path.glob(".*.tmp-*"))  # no half-written --out left behind


def test_semicolons_a_byte_order_mark_and_crlf_line_ends_from_excel(tmp_path: Path) -> None:
    project(tmp_path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(cells for cells, _ in ROWS)
    write(tmp_path, "leads.csv", ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    result = run_cli(["classify", "leads.csv", "--delimiter", ";", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stages"]["small_deal"] == 2


def test_reading_stdin_and_no_progress_line_when_stderr_is_no_terminal(tmp_path: Path) -> None:
    project(tmp_path)
    data = csv_text(HEADER, [cells for cells, _ in ROWS])
    done = subprocess.run(
        [sys.executable, "-m", "leadspec", "classify", "-", "--format", "json"],
        input=data.encode("utf-8"),
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stages"]["cold"] == 2
    assert done.stderr == b""


def test_the_bundled_definitions_read_a_salesforce_style_export(tmp_path: Path) -> None:
    """Every field of the bundled definitions found by its Salesforce API name."""
    from leadspec.api import load
    from leadspec.config import load_config

    model = load([REPO / "definitions"], load_config(start=REPO)).model
    header = [field.crm["salesforce"] for field in model.fields.values()]
    lead = {
        "lead_score": "72",
        "fit_score": "68",
        "engagement_actions": "7",
        "key_content_downloaded": "true",
        "demo_requested": "false",
        "industry": "software",
        "employees": "300",
        "seniority": "manager",
        "region": "north_america",
        "country": "US",
        "email_verified": "true",
        "is_competitor": "false",
        "is_partner": "false",
        "unsubscribed": "false",
        "disqualified": "false",
        "sdr_status": "new",
        "days_since_last_touch": "3",
        "bant_budget": "",
        "bant_authority": "",
        "bant_need": "",
        "bant_timeframe": "",
        "motivation": "",
        "deal_status": "none",
    }
    write(tmp_path, "leads.csv", csv_text(header, [[lead[f] for f in model.fields]]))
    result = run_cli(["classify", "leads.csv", str(REPO / "definitions"), "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stages"]["mql"] == 1


@pytest.mark.parametrize("command", [["classify", "--help"], ["explain", "--help"]])
def test_help(command: list[str]) -> None:
    result = run_cli(command)
    assert result.exit_code == 0
    assert "usage: leadspec" in result.stdout


def test_a_column_no_criterion_reads_is_still_checked(tmp_path: Path) -> None:
    """Region is read by no criterion of the small lifecycle: its cells are only checked against its values.

    A row holding bytes that are not UTF-8 is unreadable as a whole (the engine refuses the row), whichever
    column they are in; the report says to give the file's encoding, and the other rows keep their numbers.
    """
    project(tmp_path)
    base = ROWS[1][0]
    text = csv_text(HEADER, [base, [*base[:5], "EMEA", base[6]], [*base[:5], "APAC", base[6]]]).encode(
        "utf-8"
    )
    text += ",".join([*base[:5], "\xe9mea", base[6]]).encode("cp1252") + b"\n"
    text += ",".join(base).encode("utf-8") + b"\n"
    write(tmp_path, "leads.csv", text)
    result = run_cli(["classify", "leads.csv", "--out", "stages.csv"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert table_line(result.stdout, "MQL (mql)")[0] == "4"
    assert table_line(result.stdout, "Unreadable")[:2] == ["1", "20.0%"]
    assert "region (Region), column 'Region__c': 2 records, rows 3, 4" in result.stdout
    assert 'found "EMEA" (did you mean emea?), "APAC"' in result.stdout
    assert (
        "row 5: holds bytes that are not text in the file's encoding (try --encoding cp1252" in result.stdout
    )
    written = {int(row): (stage, note) for row, stage, note in out_rows(tmp_path / "stages.csv")[1:]}
    assert written == {
        2: ("mql", ""),
        3: ("mql", "outside the domain: region"),
        4: ("mql", "outside the domain: region"),
        5: (
            "",
            "unreadable: holds bytes that are not text in the file's encoding (try --encoding cp1252 for Excel files)",
        ),
        6: ("mql", ""),
    }


def test_an_optional_field_without_a_column_is_read_as_blank_as_explain_reads_it(tmp_path: Path) -> None:
    """Revenue is optional: a file without its column classifies as if every revenue cell were blank."""
    project(tmp_path)
    without = [index for index, name in enumerate(HEADER) if name != "AnnualRevenue"]
    blanked = [
        [cells[i] if HEADER[i] != "AnnualRevenue" else "" for i in range(len(HEADER))] for cells, _ in ROWS
    ]
    write(tmp_path, "full.csv", csv_text(HEADER, blanked))
    write(
        tmp_path,
        "short.csv",
        csv_text([HEADER[i] for i in without], [[row[i] for i in without] for row in blanked]),
    )
    full = run_cli(["classify", "full.csv", "--format", "json"], cwd=tmp_path)
    short = run_cli(["classify", "short.csv", "--format", "json"], cwd=tmp_path)
    assert full.exit_code == 0 and short.exit_code == 0, short.stderr
    assert json.loads(short.stdout)["stages"] == json.loads(full.stdout)["stages"]
    assert json.loads(short.stdout)["blank"] == ["revenue"]
    assert json.loads(short.stdout)["stages"]["small_deal"] == 3  # rows 5, 6 and 7, revenue now blank
    text = run_cli(["classify", "short.csv"], cwd=tmp_path).stdout
    assert "No column, so read as blank (optional fields): revenue" in text
