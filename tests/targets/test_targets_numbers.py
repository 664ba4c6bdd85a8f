"""Figures in the targets' words are the numbers the definitions wrote, never rounded."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from leadspec.targets import count, rate_text


def test_a_long_rate_is_shown_as_written() -> None:
    written = Decimal("0.1234567890123456789012345678901")
    assert rate_text(Fraction(written)) == "0.1234567890123456789012345678901"
    assert rate_text(Fraction(1, 4)) == "0.25"


def test_a_long_count_keeps_every_digit() -> None:
    assert (
        count(Decimal("1234567890123456789012345678901.5")) == "1,234,567,890,123,456,789,012,345,678,901.5"
    )


def test_a_worked_out_count_is_rounded_only_to_its_places() -> None:
    assert count(Fraction(10**30 + 1, 3)) == "333,333,333,333,333,333,333,333,333,333.67"
    assert count(Fraction(75, 2)) == "37.5"
