"""A calendar's time zone is accepted exactly when it is one of `zoneinfo.available_timezones()`.

`leadspec check` no longer lists every zone to look one name up (the listing opens
every file of the time zone database); the single-name lookup must agree with the
listing on real databases and on the odd corners of one: links, non-zone files,
the `right/` and `posix/` trees, `posixrules`.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadspec.calendars import zone_known

TZIF = b"TZif2" + bytes(40)
ODD_NAMES = [
    "",
    "UTC",
    "America",
    "America/",
    "/America/Chicago",
    "America//Chicago",
    "America/./Chicago",
    "America/../Europe/Paris",
    "america/chicago",
    "zone.tab",
    "tzdata.zi",
    "posixrules",
    "right/UTC",
    "posix/UTC",
    "Mars/Olympus",
]


@pytest.fixture
def odd_database(tmp_path: Path) -> Iterator[Path]:
    """A TZPATH folder with every kind of entry `available_timezones` treats specially."""
    root = tmp_path / "zoneinfo"
    (root / "Custom").mkdir(parents=True)
    (root / "Custom" / "Zone").write_bytes(TZIF)
    (root / "Custom" / "Notes").write_bytes(b"not a zone")
    (root / "Custom" / "Deeper").mkdir()
    (root / "Custom" / "Deeper" / "Zone").write_bytes(TZIF)
    (root / "Custom" / "Linked").symlink_to(root / "Custom" / "Zone")
    (root / "Custom" / "Broken").symlink_to(root / "Custom" / "Missing")
    (root / "Elsewhere").symlink_to(root / "Custom", target_is_directory=True)
    (root / "DirLink").symlink_to(root / "Custom" / "Deeper", target_is_directory=True)
    for special in ("right", "posix"):
        (root / special).mkdir()
        (root / special / "Zone").write_bytes(TZIF)
    (root / "posixrules").write_bytes(TZIF)
    (root / "Top").write_bytes(TZIF)
    before = zoneinfo.TZPATH
    zoneinfo.reset_tzpath(to=[str(root)])
    try:
        yield root
    finally:
        zoneinfo.reset_tzpath(to=before)


def _agrees(names: list[str]) -> None:
    listed = zoneinfo.available_timezones()
    assert {name: zone_known(name) for name in names} == {name: name in listed for name in names}


def test_every_listed_zone_is_known_and_odd_names_are_not() -> None:
    _agrees(sorted(zoneinfo.available_timezones()) + ODD_NAMES)


@pytest.mark.skipif(os.name != "posix", reason="needs symbolic links")
def test_the_odd_corners_of_a_database_read_as_the_listing_reads_them(odd_database: Path) -> None:
    names = [
        "Custom/Zone",
        "Custom/Notes",
        "Custom/Deeper",
        "Custom/Deeper/Zone",
        "Custom/Linked",
        "Custom/Broken",
        "Custom/Missing",
        "Elsewhere/Zone",
        "DirLink",
        "DirLink/Zone",
        "right/Zone",
        "posix/Zone",
        "right",
        "posix",
        "posixrules",
        "Top",
        "custom/zone",
    ]
    _agrees(names + ODD_NAMES)
    assert zone_known("Custom/Zone") and not zone_known("Elsewhere/Zone")  # the fixture has both kinds
