"""money as exact decimals: the amounts in 10k yuan as NUMERIC(16, 4)

Each stored float is kept digit for digit (its shortest text: 0.1 stays 0.1); a value with
more than four decimals (below the yuan), which NUMERIC(16, 4) would round, stops the
migration with the table, column and row named, before anything changes.

Revision ID: 5c87850c7b85
Revises: 8fce13734eab
Create Date: 2026-12-01 18:45:31.811257
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "5c87850c7b85"
down_revision: str | None = "8fce13734eab"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


MONEY = sa.Numeric(precision=16, scale=4)
PLACE = Decimal("0.0001")
COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {  # (column, nullable) per table
    "intake_cases": (("investment", True), ("expected_output", True)),
    "intake_support_policies": (("max_amount", True),),
    "intake_policy_applications": (("amount_asked", False), ("amount_granted", True)),
    "intake_case_returns": (("amount", True),),
}
REFERENCED = frozenset({"intake_cases", "intake_support_policies"})
"""Tables other tables' foreign keys name: SQLite (foreign keys on) will not drop them to
rebuild them, so their columns are replaced in place there."""


def _refuse_loss(table: str, column: str) -> None:
    # A float keeps the digits it was entered with as its shortest text (0.1 is "0.1"): each
    # must fit NUMERIC(16, 4) unchanged, or nothing is migrated.
    rows = op.get_bind().execute(
        sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
    )
    for row_id, value in rows:
        exact = Decimal(repr(float(value)))
        if exact != exact.quantize(PLACE) or abs(exact) >= Decimal(10) ** 12:
            raise RuntimeError(
                f"{table}.{column} of {row_id} is {value!r}: not an amount of 万元 to the yuan "
                "(four decimals, twelve digits before the point); correct it, then migrate"
            )


def _retype(table: str, column: str, nullable: bool, old: Any, new: Any, using: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column(
            table,
            column,
            existing_type=old,
            type_=new,
            existing_nullable=nullable,
            postgresql_using=using,
        )
    elif table in REFERENCED:
        declared = new.compile(dialect=bind.dialect)
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column}_new {declared}")
        op.execute(f"UPDATE {table} SET {column}_new = {column}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {column}_new TO {column}")
    else:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, existing_type=old, type_=new, existing_nullable=nullable)


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        for column, _nullable in columns:
            _refuse_loss(table, column)
    for table, columns in COLUMNS.items():
        for column, nullable in columns:
            _retype(table, column, nullable, sa.Float(), MONEY, f"round({column}::numeric, 4)")


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        for column, nullable in columns:
            _retype(table, column, nullable, MONEY, sa.Float(), f"{column}::double precision")
