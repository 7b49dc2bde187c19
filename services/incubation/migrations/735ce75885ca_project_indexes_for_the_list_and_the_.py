"""project indexes for the list and the stats at 100k: the standing rows by the list's
filters and order; the matured, transferred and outcome counts (issue 18)

Revision ID: 735ce75885ca
Revises: 836ed44dd4e1
Create Date: 2026-12-01 21:16:15.870512
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "735ce75885ca"
down_revision: str | None = "836ed44dd4e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# inc_projects' indexes (models.Project): name, columns, over the standing rows only.
STANDING = sa.text("voided_at IS NULL")
INDEXES = (
    ("ix_inc_projects_list", ["path", "stage", "registered_on", "created_at"], True),
    ("ix_inc_projects_matured_on", ["matured_on", "voided_at"], False),
    ("ix_inc_projects_transferred_on", ["transferred_on", "voided_at"], False),
    ("ix_inc_projects_outcome", ["outcome", "voided_at", "id"], False),
)


def upgrade() -> None:
    with op.batch_alter_table("inc_projects", schema=None) as batch_op:
        for name, columns, standing in INDEXES:
            where = STANDING if standing else None
            batch_op.create_index(name, columns, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    with op.batch_alter_table("inc_projects", schema=None) as batch_op:
        for name, _columns, _standing in reversed(INDEXES):
            batch_op.drop_index(name)
