"""the backlog follows intake: a demand or menu item voided there is void here

Revision ID: 00b57ebd7ab5
Revises: 39e9e477fcce
Create Date: 2026-12-01 15:02:04.052266
"""

from collections.abc import Sequence

import enclave_shared.db
import sqlalchemy as sa
from alembic import op

revision: str = "00b57ebd7ab5"
down_revision: str | None = "39e9e477fcce"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inc_backlog_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voided_at", enclave_shared.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inc_backlog_items", schema=None) as batch_op:
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_at")
