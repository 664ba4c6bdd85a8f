"""The criteria expression language of format.md: parse, type-check, evaluate, render."""
