"""Criteria text -> expression tree, with exact offsets and plain-words errors.

Hand-written on purpose: a generated or `eval`-based parser cannot point at the
exact character that is wrong, nor say "write `and`" to someone who typed `&&`.
The people who write criteria are marketing-ops staff, so every error names what
was expected in their terms ("a value after `>=`"), never token names.

Grammar (loosest first): `or` < `and` < `not` < comparison. A comparison is a
field with a literal on either side (normalised to field-first), a range chain
`40 <= lead_score < 50`, `field in [...]`, `field not in [...]`, a bare field,
or `true`/`false`. Nesting (parentheses and `not`) is limited to `MAX_DEPTH`
levels, so deep input ends in a clear error, never a RecursionError.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import NamedTuple, cast

from leadspec.expr.ast import And, BoolField, Compare, CompareOp, Const, Expr, Lit, Member, Not, Or, Value

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 100  # far beyond any real score or revenue; keeps arithmetic and int() safe

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
COMPARE_OPS = ("==", "!=", "<=", ">=", "<", ">")
FLIPPED: dict[str, CompareOp] = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
LOWER_OPS = frozenset({">", ">="})
UPPER_OPS = frozenset({"<", "<="})

# Words people bring from spreadsheets, SQL or JavaScript, and what to write instead.
_WRONG_OPERATORS: dict[str, tuple[str, str]] = {
    "===": ("`===` is not a comparison here", "use == to compare"),
    "=>": ("`=>` is not a comparison here", "write >= for 'at least'"),
    "=<": ("`=<` is not a comparison here", "write <= for 'at most'"),
    "<>": ("`<>` is not a comparison here", "use != for 'is not'"),
    "&&": ("`&&` is not understood in conditions", "write `and`"),
    "||": ("`||` is not understood in conditions", "write `or`"),
    "=": ("a single `=` is not a comparison", "use == to compare"),
    "&": ("`&` is not understood in conditions", "write `and`"),
    "|": ("`|` is not understood in conditions", "write `or`"),
    "!": ("`!` is not understood in conditions", "write `not`, or use != for 'is not'"),
}
_SMART_QUOTES = "\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"
EMPTY_WORDS = frozenset({"null", "none", "nil", "empty", "blank", "missing", "undefined"})
_EQUALS_WORDS = frozenset({"is", "equals", "eq", "equal", "like"})


class Word(NamedTuple):
    """A name as written in a criterion, with its 0-based offsets (end exclusive)."""

    text: str
    start: int
    end: int


class Words(NamedTuple):
    """Two names compared with each other, `sdr_status == accepted`."""

    left: Word
    op: str
    right: Word


class ExprSyntaxError(Exception):
    """A criterion that cannot be read, with the offsets of the offending text.

    `start`/`end` are 0-based offsets into the criterion (end exclusive); the
    caller turns them into a file position with `Criterion.locate`.
    """

    def __init__(
        self,
        message: str,
        start: int,
        end: int,
        hint: str | None = None,
        words: Words | None = None,
        replacement: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end
        self.hint = hint
        self.replacement = replacement  # text that certainly replaces start..end, if any
        # `name op name`: which of the two is a field only the declared fields can tell,
        # so the checker that knows them says it in its own words (`typecheck.explain_words`).
        self.words = words

    def __str__(self) -> str:
        return self.message


class Token(NamedTuple):
    """A token with its offsets: a named tuple, since a criterion makes dozens and a table millions."""

    kind: str  # name, kw, str, num, op, ( ) [ ] , eof
    text: str  # the source text of the token
    start: int
    end: int
    value: Value | None = None


def _is_name_start(ch: str) -> bool:
    return ch == "_" or ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _is_name_char(ch: str) -> bool:
    return _is_name_start(ch) or ("0" <= ch <= "9")


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _shown(text: str, limit: int = 30) -> str:
    """Source text as quoted in a message, cut short so messages stay one line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Tokenizer:
    """Splits criterion text into tokens with offsets; rejects what no token can start with."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        text = self.text
        n = len(text)
        while self.pos < n:
            ch = text[self.pos]
            if ch.isspace():
                self.pos += 1
            elif _is_name_start(ch):
                self._name()
            elif _is_digit(ch) or ch == "-":
                self._number()
            elif ch in "\"'":
                self._string(ch)
            elif ch in "=!<>&|":
                self._operator()
            elif ch in "()[],":
                self.tokens.append(Token(ch, ch, self.pos, self.pos + 1))
                self.pos += 1
            else:
                self._unknown(ch)
        self.tokens.append(Token("eof", "", n, n))
        return self.tokens

    def _name(self) -> None:
        start = self.pos
        end = start
        while end < len(self.text) and _is_name_char(self.text[end]):
            end += 1
        word = self.text[start:end]
        self.pos = end
        hyphenated = self.text[end : end + 2]
        if len(hyphenated) == 2 and hyphenated[0] == "-" and _is_name_start(hyphenated[1]):
            stop = end + 1
            while stop < len(self.text) and (_is_name_char(self.text[stop]) or self.text[stop] == "-"):
                stop += 1
            whole = self.text[start:stop]
            raise ExprSyntaxError(
                f"`{_shown(whole)}` is not a field name: field names cannot contain `-`",
                start,
                stop,
                f"field names use underscores, like `{whole.replace('-', '_')}`",
            )
        if word in KEYWORDS:
            self.tokens.append(Token("kw", word, start, end))
            return
        if word.lower() in KEYWORDS:
            raise ExprSyntaxError(
                f"`{word}` is not understood: words like `{word.lower()}` are written in lower case",
                start,
                end,
                f"write `{word.lower()}`",
            )
        self.tokens.append(Token("name", word, start, end))

    def _number(self) -> None:
        text = self.text
        start = self.pos
        pos = start
        if text[pos] == "-":
            pos += 1
            if pos >= len(text) or not _is_digit(text[pos]):
                rest = text[pos:].lstrip()
                if rest[:1].isdigit():
                    raise ExprSyntaxError(
                        "a minus sign must touch its number",
                        start,
                        start + 1,
                        "write negative numbers like -3",
                    )
                raise ExprSyntaxError(
                    "`-` has no meaning here",
                    start,
                    start + 1,
                    "write negative numbers like -3; there is no subtraction",
                )
        while pos < len(text) and _is_digit(text[pos]):
            pos += 1
        is_decimal = False
        if pos < len(text) and text[pos] == ".":
            if pos + 1 < len(text) and _is_digit(text[pos + 1]):
                is_decimal = True
                pos += 1
                while pos < len(text) and _is_digit(text[pos]):
                    pos += 1
            else:
                whole = text[start:pos]
                raise ExprSyntaxError(
                    f"`{whole}.` is not a complete number", start, pos + 1, f"write {whole} or {whole}.0"
                )
        if pos < len(text) and (_is_name_char(text[pos]) or text[pos] == "."):
            stop = pos
            while stop < len(text) and (_is_name_char(text[stop]) or text[stop] == "."):
                stop += 1
            whole = text[start:stop]
            if text[pos:stop] in KEYWORDS:
                raise ExprSyntaxError(
                    f"`{_shown(whole)}` needs a space before `{text[pos:stop]}`",
                    start,
                    stop,
                    f"write {text[start:pos]} {text[pos:stop]}",
                )
            raise ExprSyntaxError(
                f"`{_shown(whole)}` is not a number conditions can read",
                start,
                stop,
                "write numbers with digits only, like 1000 or 0.5 (no letters, `_` or exponents)",
            )
        literal = text[start:pos]
        if len(literal) > MAX_NUMBER_CHARS:
            raise ExprSyntaxError(
                f"this number is too long ({len(literal)} characters)",
                start,
                pos,
                f"numbers in conditions can have at most {MAX_NUMBER_CHARS} characters",
            )
        value: Value = Decimal(literal) if is_decimal else int(literal)
        self.tokens.append(Token("num", literal, start, pos, value))
        self.pos = pos

    def _string(self, quote: str) -> None:
        text = self.text
        start = self.pos
        pos = start + 1
        chars: list[str] = []
        while pos < len(text):
            ch = text[pos]
            if ch == quote:
                self.tokens.append(Token("str", text[start : pos + 1], start, pos + 1, "".join(chars)))
                self.pos = pos + 1
                return
            if ch == "\\":
                nxt = text[pos + 1] if pos + 1 < len(text) else ""
                if nxt in ('"', "'", "\\"):
                    chars.append(nxt)
                    pos += 2
                    continue
                raise ExprSyntaxError(
                    f"`\\{nxt}` is not allowed in a text value"
                    if nxt
                    else "a text value cannot end with `\\`",
                    pos,
                    min(pos + 2, len(text)),
                    'a backslash can only come before a quote or another backslash: \\" or \\\\',
                )
            chars.append(ch)
            pos += 1
        raise ExprSyntaxError(
            "this text value has no closing quote", start, len(text), f"add a closing {quote} after the value"
        )

    def _operator(self) -> None:
        text = self.text
        start = self.pos
        for candidate in ("===", "=>", "=<", "<>", "&&", "||"):
            if text.startswith(candidate, start):
                message, hint = _WRONG_OPERATORS[candidate]
                raise ExprSyntaxError(message, start, start + len(candidate), hint)
        for op in COMPARE_OPS:
            if text.startswith(op, start):
                self.tokens.append(Token("op", op, start, start + len(op)))
                self.pos = start + len(op)
                return
        message, hint = _WRONG_OPERATORS[text[start]]
        raise ExprSyntaxError(message, start, start + 1, hint)

    def _unknown(self, ch: str) -> None:
        start = self.pos
        if ch in _SMART_QUOTES:
            raise ExprSyntaxError(
                f"`{ch}` is a curly quote",
                start,
                start + 1,
                'write text values in straight quotes, like "US"',
            )
        if ch == "+":
            raise ExprSyntaxError(
                "`+` has no meaning here", start, start + 1, "write positive numbers without +, like 5"
            )
        if ch == ".":
            raise ExprSyntaxError(
                "a number cannot start with `.`", start, start + 1, "write a digit before the point, like 0.5"
            )
        if ch.isalnum():
            raise ExprSyntaxError(
                f"`{ch}` cannot be part of a field name",
                start,
                start + 1,
                "field names use only the letters a-z, digits and _; put other text in quotes",
            )
        if not ch.isprintable():
            name = unicodedata.name(ch, "")
            described = f"U+{ord(ch):04X}" + (f" {name}" if name else "")
            raise ExprSyntaxError(
                f"there is an invisible character here ({described})",
                start,
                start + 1,
                "delete it and retype the text around it",
            )
        raise ExprSyntaxError(f"`{ch}` has no meaning in a condition", start, start + 1, None)


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an `eof` token; raises ExprSyntaxError."""
    return _Tokenizer(text).run()


def _is_literal(tok: Token) -> bool:
    return tok.kind in ("str", "num") or (tok.kind == "kw" and tok.text in ("true", "false"))


def _lit(tok: Token) -> Lit:
    if tok.kind == "kw":
        return Lit(tok.text == "true", tok.start, tok.end)
    assert tok.value is not None
    return Lit(tok.value, tok.start, tok.end)


def _describe(tok: Token) -> str:
    """How a token is named in a message: its own text, quoted as the user wrote it."""
    if tok.kind == "eof":
        return "the end"
    return f"`{_shown(tok.text)}`" if tok.kind != "str" else _shown(tok.text)


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    # -- helpers ---------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def prev(self) -> Token | None:
        return self.tokens[self.pos - 1] if self.pos > 0 else None

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def is_kw(self, word: str, ahead: int = 0) -> bool:
        tok = self.peek(ahead)
        return tok.kind == "kw" and tok.text == word

    def error_at(self, tok: Token, message: str, hint: str | None = None) -> ExprSyntaxError:
        """An error at `tok`; at the end of the text it marks the last token instead, so it is visible."""
        if tok.kind == "eof":
            before = self.prev()
            if before is not None:
                return ExprSyntaxError(message, before.start, before.end, hint)
            return ExprSyntaxError(message, 0, len(self.text), hint)
        return ExprSyntaxError(message, tok.start, tok.end, hint)

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprSyntaxError(
                f"this condition is nested more than {MAX_DEPTH} levels deep; simplify it",
                tok.start,
                tok.end,
                "remove extra parentheses or repeated `not`",
            )

    # -- grammar ---------------------------------------------------------------
    def parse(self) -> Expr:
        if self.peek().kind == "eof":
            raise ExprSyntaxError(
                "the condition is empty",
                0,
                len(self.text),
                "write a condition such as lead_score >= 50, or true",
            )
        expr = self.parse_or()
        tok = self.peek()
        if tok.kind != "eof":
            if tok.kind == ")":
                raise ExprSyntaxError(
                    "this `)` has no matching `(`", tok.start, tok.end, "remove it or add a `(` before"
                )
            raise self.junk(tok, closing=False)
        return expr

    def parse_or(self) -> Expr:
        start = self.peek().start
        operands: list[Expr] = []
        while True:
            operand = self.parse_and()
            operands.extend(operand.operands if isinstance(operand, Or) else (operand,))
            if not self.is_kw("or"):
                break
            self.advance()
        if len(operands) == 1:
            return operands[0]
        return Or(tuple(operands), start, self._end())

    def parse_and(self) -> Expr:
        start = self.peek().start
        operands: list[Expr] = []
        while True:
            operand = self.parse_not()
            operands.extend(operand.operands if isinstance(operand, And) else (operand,))
            if not self.is_kw("and"):
                break
            self.advance()
        if len(operands) == 1:
            return operands[0]
        return And(tuple(operands), start, self._end())

    def _end(self) -> int:
        before = self.prev()
        return before.end if before is not None else 0

    def parse_not(self) -> Expr:
        nots: list[Token] = []
        saved = self.depth
        while self.is_kw("not"):
            tok = self.advance()
            self.enter(tok)
            nots.append(tok)
        expr = self.parse_primary()
        end = expr.end if not nots else self._end()
        for tok in reversed(nots):
            expr = Not(expr, tok.start, end)
        self.depth = saved
        return expr

    def parse_primary(self) -> Expr:
        tok = self.peek()
        if tok.kind == "(":
            saved = self.depth
            self.enter(tok)
            self.advance()
            inner = self.parse_or()
            close = self.peek()
            if close.kind == "eof":
                raise ExprSyntaxError(
                    "this `(` is never closed", tok.start, tok.end, "add a `)` where the group ends"
                )
            if close.kind != ")":
                raise self.junk(close, closing=True)
            self.advance()
            self.depth = saved
            return inner
        if tok.kind == "name" or _is_literal(tok):
            return self.parse_comparison()
        raise self.expected_condition(tok)

    def expected_condition(self, tok: Token) -> ExprSyntaxError:
        before = self.prev()
        if tok.kind == "kw" and tok.text in ("and", "or"):
            if before is not None and before.kind == "kw" and before.text == tok.text:
                return self.error_at(tok, f"`{tok.text}` is written twice", "remove one of them")
            if before is None or before.kind == "(":
                return self.error_at(tok, f"expected a condition before `{tok.text}`")
        if tok.kind == "kw" and tok.text == "in":
            return self.error_at(
                tok, "expected a field name before `in`", 'write it like country in ["US", "CA"]'
            )
        if tok.kind == "op":
            return self.error_at(
                tok, f"expected a field name before `{tok.text}`", "write it like lead_score >= 50"
            )
        if tok.kind == "[":
            return self.error_at(
                tok, "a list in [ ] can only follow `in`", 'write it like country in ["US", "CA"]'
            )
        if tok.kind == ")" and before is not None and before.kind == "(":
            return self.error_at(tok, "expected a condition inside the parentheses")
        if before is None:
            return self.error_at(tok, f"expected a condition at the start, not {_describe(tok)}")
        where = f"after {_describe(before)}"
        if tok.kind == "eof":
            return self.error_at(tok, f"expected a condition {where}", "the condition ends too early")
        return self.error_at(tok, f"expected a condition {where}, but found {_describe(tok)}")

    def junk(self, tok: Token, closing: bool) -> ExprSyntaxError:
        """The error for `tok` where only `and`, `or` (or `)`) can follow a complete condition."""
        before = self.prev()
        expected = "`)`, `and` or `or`" if closing else "`and` or `or`"
        if tok.kind == "," and before is not None and before.kind == "num":
            return self.error_at(
                tok,
                "a comma is only used between values in a list",
                "write numbers without separators, like 1000",
            )
        if tok.kind == ",":
            return self.error_at(tok, "a comma is only used between values in a list [ ]")
        if tok.kind == "name" and tok.text.lower() in _EQUALS_WORDS:
            return self.error_at(tok, f"`{tok.text}` is not understood in conditions", "use == to compare")
        if tok.kind == "name" and tok.text.lower() == "between":
            return self.error_at(
                tok, "`between` is not understood in conditions", "write a range like 40 <= lead_score < 50"
            )
        if tok.kind == "kw" and tok.text == "not":
            return self.error_at(
                tok,
                "`not` goes before a condition, not after it",
                'write not email_verified, country != "US" or country not in ["US"]',
            )
        if tok.kind == "kw" and tok.text == "in" and before is not None and _is_literal(before):
            return self.error_at(
                tok, "a list check starts with the field", 'write it like country in ["US", "CA"]'
            )
        if before is not None and before.kind == "name" and _is_literal(tok):
            return self.error_at(
                tok,
                f"expected a comparison between `{before.text}` and {_describe(tok)}",
                f"write it like {before.text} == {tok.text}",
            )
        if tok.kind == "[":
            return self.error_at(
                tok, "a list in [ ] can only follow `in`", 'write it like country in ["US", "CA"]'
            )
        return self.error_at(
            tok, f"expected {expected} before {_describe(tok)}", "join conditions with `and` or `or`"
        )

    def parse_comparison(self) -> Expr:
        first = self.advance()
        if first.kind == "name" and (self.is_kw("in") or (self.is_kw("not") and self.is_kw("in", 1))):
            return self.parse_member(first)
        operands = [first]
        ops: list[Token] = []
        while self.peek().kind == "op":
            op = self.advance()
            operand = self.peek()
            if operand.kind == "name" or _is_literal(operand):
                self.advance()
            elif operand.kind == "op":
                raise self.error_at(
                    operand, f"`{op.text}` is followed by another comparison `{operand.text}`"
                )
            else:
                hint = None
                if operand.kind == "[":
                    hint = 'to compare with a list, write country in ["US", "CA"]'
                elif operand.kind == "(":
                    hint = "a value cannot be put in parentheses"
                raise self.error_at(
                    operand if operand.kind != "eof" else op, f"expected a value after `{op.text}`", hint
                )
            ops.append(op)
            operands.append(operand)
        if not ops:
            return self.single(first)
        if len(ops) == 1:
            return self.pair(operands[0], ops[0].text, operands[1])
        return self.chain(operands, ops)

    def single(self, tok: Token) -> Expr:
        if tok.kind == "name":
            return BoolField(tok.text, tok.start, tok.end)
        if tok.kind == "kw":
            return Const(tok.text == "true", tok.start, tok.end)
        if self.is_kw("in"):
            raise self.error_at(
                self.peek(), "a list check starts with the field", 'write it like country in ["US", "CA"]'
            )
        if tok.kind == "str":
            raise self.error_at(
                tok,
                f"the text {_describe(tok)} on its own is not a condition",
                'compare a field with it, like country == "US"',
            )
        raise self.error_at(
            tok,
            f"the number {_describe(tok)} on its own is not a condition",
            "compare a field with it, like lead_score >= 50",
        )

    def pair(self, left: Token, op: str, right: Token) -> Compare:
        if left.kind == "name" and _is_literal(right):
            return Compare(
                left.text, cast(CompareOp, op), _lit(right), left.start, right.end, left.start, left.end
            )
        if _is_literal(left) and right.kind == "name":
            return Compare(right.text, FLIPPED[op], _lit(left), left.start, right.end, right.start, right.end)
        if left.kind == "name" and right.kind == "name":
            if right.text.lower() in ("yes", "no", "on", "off"):
                hint = "write true or false"
            elif right.text.lower() in EMPTY_WORDS:
                hint = "there is no empty value to compare with: when a field is blank, every comparison with it is false"
            else:
                hint = f'if you meant the text {right.text}, put it in quotes: "{right.text}"'
            raise ExprSyntaxError(
                f"`{left.text}` and `{right.text}` are both field names; a condition compares a field with a value",
                right.start,
                right.end,
                hint,
                Words(Word(left.text, left.start, left.end), op, Word(right.text, right.start, right.end)),
            )
        raise ExprSyntaxError(
            f"`{_shown(self.text[left.start : right.end])}` compares two values; one side must be a field",
            left.start,
            right.end,
            "write it like lead_score >= 50",
        )

    def chain(self, operands: list[Token], ops: list[Token]) -> And:
        start, end = operands[0].start, operands[-1].end
        if len(ops) > 2:
            raise ExprSyntaxError(
                "a comparison can have at most two bounds, like 40 <= lead_score < 50",
                start,
                end,
                "join further conditions with `and`",
            )
        texts = {op.text for op in ops}
        if texts & {"==", "!="}:
            raise ExprSyntaxError(
                "only <, <=, > and >= can form a range, like 40 <= lead_score < 50",
                start,
                end,
                "join separate conditions with `and`",
            )
        low, field, high = operands
        if not (_is_literal(low) and field.kind == "name" and _is_literal(high)):
            raise ExprSyntaxError(
                "a range puts the field between two values, like 40 <= lead_score < 50",
                start,
                end,
                "join separate conditions with `and`",
            )
        if not (texts <= UPPER_OPS or texts <= LOWER_OPS):
            raise ExprSyntaxError(
                "a range must point one way, like 40 <= lead_score < 50 or 50 > lead_score >= 40",
                start,
                end,
                None,
            )
        first = self.pair(low, ops[0].text, field)
        second = self.pair(field, ops[1].text, high)
        return And((first, second), start, end)

    def parse_member(self, field: Token) -> Member:
        negated = False
        if self.is_kw("not"):
            self.advance()
            negated = True
        in_tok = self.advance()
        opening = self.peek()
        if opening.kind != "[":
            hint = 'put the values in square brackets, like country in ["US", "CA"]'
            if opening.kind == "(":
                hint = 'use square brackets [ ] for the list, like country in ["US", "CA"]'
            where = opening if opening.kind != "eof" else in_tok
            raise self.error_at(where, f"expected a list after `{in_tok.text}`", hint)
        self.advance()
        values: list[Lit] = []
        while True:
            tok = self.peek()
            if tok.kind == "]":
                if not values:
                    raise ExprSyntaxError(
                        "the list is empty",
                        opening.start,
                        tok.end,
                        "put at least one value in it, or remove the condition",
                    )
                self.advance()
                break
            if tok.kind == "eof":
                raise self.unclosed_list(opening)
            if _is_literal(tok):
                values.append(_lit(self.advance()))
            elif tok.kind == "name":
                raise self.error_at(
                    tok, f"`{tok.text}` in a list must be a value", f'put text in quotes: "{tok.text}"'
                )
            else:
                raise self.error_at(tok, f"expected a value in the list, not {_describe(tok)}")
            after = self.peek()
            if after.kind == ",":
                self.advance()
            elif after.kind == "]":
                continue
            elif after.kind == "eof":
                raise self.unclosed_list(opening)
            else:
                raise self.error_at(
                    after, f"expected `,` or `]` before {_describe(after)}", "separate values with commas"
                )
        end = self._end()
        return Member(field.text, tuple(values), negated, field.start, end, field.start, field.end)

    @staticmethod
    def unclosed_list(opening: Token) -> ExprSyntaxError:
        return ExprSyntaxError(
            "this `[` is never closed", opening.start, opening.end, "add a `]` after the last value"
        )


def parse(text: str) -> Expr:
    """Parse one criterion; raises ExprSyntaxError (and nothing else) for any text."""
    return _Parser(text, tokenize(text)).parse()
