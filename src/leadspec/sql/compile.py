"""The membership rule as one SQL query: each record's stage, scope, overlaps and values outside a domain.

Built as a sqlglot syntax tree (never by pasting text) and written for the
dialect asked for. The meaning is `membership.place` over `expr.evaluate`
exactly: each comparison is made NULL-safe one by one (a missing value makes it
false; a `not` around it is then true), `x in [...]` and `x not in [...]` are
both false for a missing x, enum values compare case-sensitively, numbers as
exact decimals. How a cell is read is `cells.Cells`.

Public API (kept stable; others build on it):

    rule_select(rule, columns, dialect, source, *, keep_source=True, names=Names()) -> sqlglot.exp.Select
    compile_select(rule, columns, dialect, table, *, keep_source=True, names=Names()) -> str
    compile_view(rule, columns, dialect, table, view, *, keep_source=True, names=Names()) -> str

- `rule`: a `membership.Membership` (the model and its checked criteria trees;
  `leadspec.commands.checked_membership` or `Membership(loaded.model, loaded.context.exprs)`).
- `columns`: field id -> column name in the source, for every field the criteria
  read (`classify.used_fields`); other fields given get an outside-domain column too.
- `dialect`: duckdb, postgres, snowflake, bigquery, databricks, spark or redshift
  (`dialects.dialect` accepts a few aliases); unknown -> `SqlError`.
- `table` / `source`: a table name, possibly qualified (`crm.leads`), or for
  `rule_select` any sqlglot expression to select from (a dbt
  `{{ source(...) }}` can go in as `exp.Table(this=exp.to_identifier("{{ source('crm', 'leads') }}", quoted=False))`).

The query returns the source's columns (unless `keep_source=False`) and:
`stage` (the stage id; NULL when in no stage or out of scope; under `first_match`
the first stage met; under `exclusive` a record in several stages gets their ids
joined with `;`, as `classify --out` writes them), `in_scope`, `stages_met` (how
many stages' own conditions the record meets in scope, before the policy: above 1
is an overlap in the data), and `outside_<field>` per field (the cell is outside
the field's domain, or empty though required). `Names` renames them.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp

from leadspec.expr.ast import And, BoolField, Compare, Const, Expr, Member, Not, Or, Ref
from leadspec.membership import Membership, own_condition
from leadspec.model import Criterion
from leadspec.sql.cells import Cells, Refs, helper_name, unless
from leadspec.sql.dialects import SqlError
from leadspec.sql.dialects import dialect as find_dialect
from leadspec.structs import struct

CELLS = "leadspec_cells"  # the first query, where each cell is read once (dialects with star_except)
RULE = "leadspec_rule"  # the second, where each stage's condition is decided once


@struct
class Names:
    """The names of the columns the query adds (`outside` is formatted with the field id)."""

    stage: str = "stage"
    in_scope: str = "in_scope"
    stages_met: str = "stages_met"
    outside: str = "outside_{field}"


class _Compiler:
    def __init__(self, rule: Membership, cells: Cells) -> None:
        self.rule = rule
        self.cells = cells
        self.done: dict[Criterion, exp.Expression] = {}

    def criterion(self, criterion: Criterion) -> exp.Expression:
        """The criterion as a condition that is never NULL (a fresh copy each time)."""
        if criterion not in self.done:
            self.done[criterion] = self.expr(self.rule.tree(criterion))
        return self.done[criterion].copy()

    def expr(self, node: Expr) -> exp.Expression:
        if isinstance(node, And):
            return exp.and_(*(self.expr(operand) for operand in node.operands), copy=False)
        if isinstance(node, Or):
            return exp.or_(*(self.expr(operand) for operand in node.operands), copy=False)
        if isinstance(node, Not):
            return exp.Not(this=exp.paren(self.expr(node.operand), copy=False))
        if isinstance(node, Const):
            return exp.Boolean(this=node.value)
        if isinstance(node, Ref):
            return self.expr(node.expr)  # the condition as it is defined, in place
        if isinstance(node, BoolField):
            self._expect(node.field, "boolean")
            return _false_if_null(self.cells.boolean(node.field))
        if isinstance(node, Compare):
            return self.compare(node)
        if isinstance(node, Member):
            value = self.cells.value(node.field)
            found = exp.In(
                this=value, expressions=[self.cells.literal(node.field, item.value) for item in node.values]
            )
            return self._negated(node.field, found) if node.negated else _false_if_null(found)
        raise SqlError(f"not a criterion: {node!r}")

    def compare(self, node: Compare) -> exp.Expression:
        kind = self.rule.model.fields[node.field].type if node.field in self.rule.model.fields else None
        if node.op not in ("==", "!=") and kind not in ("integer", "number"):
            raise SqlError(f"`{node.field}` cannot be ordered with {node.op}; run `leadspec check`")
        value = self.cells.value(node.field)
        literal = self.cells.literal(node.field, node.value.value)
        if node.op == "!=":
            return self._negated(node.field, exp.EQ(this=value, expression=literal))
        built = {"==": exp.EQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}[node.op]
        return _false_if_null(built(this=value, expression=literal))

    def _negated(self, field_id: str, positive: exp.Expression) -> exp.Expression:
        """`!=` and `not in`: false for a missing value, true for a value of another kind (as the evaluator)."""
        return unless(_false_if_null(positive), self.cells.present(field_id))

    def _expect(self, field_id: str, kind: str) -> None:
        field = self.rule.model.fields.get(field_id)
        if field is None or field.type != kind:
            raise SqlError(f"`{field_id}` is not a {kind} field; run `leadspec check`")


def _false_if_null(condition: exp.Expression) -> exp.Expression:
    return exp.Coalesce(this=condition, expressions=[exp.false()])


def rule_select(
    rule: Membership,
    columns: Mapping[str, str],
    dialect: str,
    source: str | exp.Expression,
    *,
    keep_source: bool = True,
    names: Names = Names(),
) -> exp.Select:
    """The query as a sqlglot tree (see the module docstring)."""
    target = find_dialect(dialect)
    model = rule.model
    relation = exp.to_table(source, dialect=target.sqlglot) if isinstance(source, str) else source
    read = [field_id for field_id in model.fields if field_id in columns]
    missing = [name for name in _used(rule) if name not in columns]
    if missing:
        raise SqlError("no column is given for " + ", ".join(f"`{name}`" for name in missing))
    two_steps = target.star_except or not keep_source
    cells = Cells(model.fields, columns, target)
    compiler = _Compiler(rule, Refs(model.fields, columns, target) if two_steps else cells)
    scope = model.lifecycle.scope
    in_scope: exp.Expression = exp.true() if scope is None else compiler.criterion(scope)
    met: list[tuple[str, exp.Expression]] = []
    for stage in model.stages:
        if stage.entry is None:
            continue  # holds no lead (membership.place)
        must, must_not = own_condition(model, stage)
        parts = [compiler.criterion(c) for c in must]
        if must_not:
            parts.append(
                exp.Not(
                    this=exp.paren(
                        exp.or_(*(compiler.criterion(c) for c in must_not), copy=False), copy=False
                    )
                )
            )
        met.append((stage.id, exp.and_(*parts, copy=False) if parts else exp.true()))
    if two_steps:  # the conditions are computed once, in a second query, and read from there
        conditions = [exp.alias_(_decided(in_scope), _met_name(None), copy=False)] + [
            exp.alias_(_decided(condition), _met_name(ident), copy=False) for ident, condition in met
        ]
        in_scope = exp.column(_met_name(None))
        met = [(ident, exp.column(_met_name(ident))) for ident, _ in met]
    projections: list[exp.Expression] = []
    if keep_source:
        hidden = [helper_name(f) for f in read]
        if two_steps:
            hidden += [_met_name(None)] + [_met_name(ident) for ident, _ in met]
        projections.append(
            exp.Star(except_=[exp.column(name) for name in hidden]) if two_steps else exp.Star()
        )
    projections += [
        exp.alias_(
            _stage(met, model.lifecycle.policy == "first_match", _count(met) if two_steps else None),
            names.stage,
            copy=False,
        ),
        exp.alias_(in_scope, names.in_scope, copy=False),
        exp.alias_(_count(met), names.stages_met, copy=False),
        *(
            exp.alias_(compiler.cells.outside(field_id), names.outside.format(field=field_id), copy=False)
            for field_id in read
        ),
    ]
    if not two_steps:
        return exp.select(*projections, copy=False).from_(relation, copy=False)
    # Without the source's columns, the first query still passes on the cells read (for `Cells.present`).
    carried = [exp.Star()] if keep_source else [cells.column(f) for f in read]
    first = exp.select(*carried, *cells.helpers(read), copy=False).from_(relation, copy=False)
    second = exp.select(exp.Star(), *conditions, copy=False).from_(CELLS, copy=False)
    return (
        exp.select(*projections, copy=False)
        .from_(RULE, copy=False)
        .with_(CELLS, as_=first, copy=False)
        .with_(RULE, as_=second, copy=False)
    )


def _decided(condition: exp.Expression) -> exp.Expression:
    """`CASE WHEN condition THEN TRUE ELSE FALSE END`: the same value, decided as a filter decides.

    An engine evaluates a CASE's condition the way it evaluates a WHERE, stopping an
    AND at its first false operand for each row; a plain boolean column may evaluate
    every operand for every row (DuckDB does: the bundled lifecycle took twice as long).
    """
    return exp.Case(ifs=[exp.If(this=condition, true=exp.true())], default=exp.false())


def _met_name(stage_id: str | None) -> str:
    return helper_name(stage_id, "met") if stage_id is not None else helper_name("scope", "in")


def _stage(
    met: list[tuple[str, exp.Expression]], first_only: bool, count: exp.Expression | None
) -> exp.Expression:
    """The stage under the policy; under `exclusive` several stages' ids joined with `;`.

    `count` (how many stages are met) is given when the conditions are columns: each is then
    cheap to name twice, where inlined each would be written out twice more.
    """
    first = exp.Case(
        ifs=[exp.If(this=condition.copy(), true=exp.Literal.string(ident)) for ident, condition in met]
    )
    if first_only or len(met) <= 1:
        return first
    pieces = [
        exp.Case(
            ifs=[exp.If(this=condition.copy(), true=exp.Literal.string(f";{ident}"))],
            default=exp.Literal.string(""),
        )
        for ident, condition in met
    ]
    joined = exp.Substring(this=exp.Concat(expressions=pieces, safe=True), start=exp.Literal.number(2))
    joined = exp.Nullif(this=joined, expression=exp.Literal.string(""))
    if count is None:
        return joined
    # With the conditions read from columns, the ids are joined only for the records in two stages
    # or more: building text for every record took a tenth of the whole query in DuckDB.
    return exp.Case(
        ifs=[exp.If(this=exp.GT(this=count, expression=exp.Literal.number(1)), true=joined)], default=first
    )


def _count(met: list[tuple[str, exp.Expression]]) -> exp.Expression:
    """How many stages' own conditions hold (before the policy)."""
    ones = [
        exp.Case(
            ifs=[exp.If(this=condition.copy(), true=exp.Literal.number(1))], default=exp.Literal.number(0)
        )
        for _, condition in met
    ]
    if not ones:
        return exp.Literal.number(0)
    total: exp.Expression = ones[0]
    for one in ones[1:]:
        total = exp.Add(this=total, expression=one)
    return exp.paren(total) if len(ones) > 1 else total


def _used(rule: Membership) -> list[str]:
    """The fields the criteria read (`classify.used_fields`)."""
    from leadspec.classify import used_fields

    return used_fields(rule.model, rule.exprs)


def compile_select(
    rule: Membership,
    columns: Mapping[str, str],
    dialect: str,
    table: str | exp.Expression,
    *,
    keep_source: bool = True,
    names: Names = Names(),
    pretty: bool = True,
) -> str:
    """The query as text in `dialect` (see the module docstring)."""
    select = rule_select(rule, columns, dialect, table, keep_source=keep_source, names=names)
    # The tree was built for this call alone: sqlglot need not copy it before writing (half the time).
    return select.sql(dialect=find_dialect(dialect).sqlglot, pretty=pretty, copy=False)


def compile_view(
    rule: Membership,
    columns: Mapping[str, str],
    dialect: str,
    table: str | exp.Expression,
    view: str,
    *,
    keep_source: bool = True,
    names: Names = Names(),
    pretty: bool = True,
) -> str:
    """`CREATE OR REPLACE VIEW view AS <the query>` in `dialect`."""
    target = find_dialect(dialect)
    select = rule_select(rule, columns, dialect, table, keep_source=keep_source, names=names)
    create = exp.Create(
        this=exp.to_table(view, dialect=target.sqlglot), kind="VIEW", expression=select, replace=True
    )
    return create.sql(dialect=target.sqlglot, pretty=pretty, copy=False)  # a tree of its own, as above
