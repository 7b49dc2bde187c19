"""the standing rows' unique indexes: one centre of a kind, a project hosted once, a
declaration once, a party organisation's name, a sage in a body

Revision ID: 836ed44dd4e1
Revises: 9de524621a37
Create Date: 2026-12-01 18:59:23.840342
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "836ed44dd4e1"
down_revision: str | None = "9de524621a37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# What stands once, over the standing rows only (corrections.standing_once): table, index, columns.
WHERE = sa.text("voided_at IS NULL")
INDEXES = (
    ("inc_centres", "uq_inc_centres_kind", ["kind"]),
    ("inc_hostings", "uq_inc_hostings_project", ["project_id"]),
    ("inc_party_orgs", "uq_inc_party_orgs_name", ["name"]),
    ("inc_sages", "uq_inc_sages_name_body", ["name", "body"]),
    (
        "inc_talent_declarations",
        "uq_inc_talent_declarations_once",
        ["talent_id", "programme", "level"],
    ),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                name, columns, unique=True, sqlite_where=WHERE, postgresql_where=WHERE
            )


def downgrade() -> None:
    for table, name, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name, sqlite_where=WHERE, postgresql_where=WHERE)
