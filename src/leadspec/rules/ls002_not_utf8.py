"""The file is not UTF-8 text, or holds characters that text files never hold.

## What it means

Definitions files are read as UTF-8, the encoding every editor, Git host and
CRM import understands. leadspec reports this code, at the line and column of
the first bad byte, when:

- the file contains bytes that are not valid UTF-8, usually because it was
  saved as Windows-1252 or Latin-1 (for example `é` written by an old editor or
  copied out of a spreadsheet export);
- the file was saved as UTF-16 (it starts with a UTF-16 byte-order mark);
- the file contains a NUL (zero) byte or an invisible control character, which
  YAML does not allow. A NUL byte usually means the file is damaged or is not a
  text file at all.

A UTF-8 byte-order mark at the very start is fine.

## Example

This code is about bytes, which a page cannot show. A file whose third line
is `    label: Équipe marketing` saved as Windows-1252 stores `É` as the single
byte 0xC9, which is not UTF-8; leadspec reports the byte's line and column and
says which character it probably is.

## How to fix

Open the file in your editor and save it again with the encoding "UTF-8"
(in VS Code: the encoding name in the status bar, then "Save with Encoding").
For a control character, delete it; it usually arrived with pasted text.
"""

from leadspec.diagnostics import Severity
from leadspec.rules import Rule

RULE = Rule(
    code="LS002",
    name="not-utf8",
    severity=Severity.ERROR,
    summary="the file is not UTF-8 text",
    needs_complete_model=False,
)
