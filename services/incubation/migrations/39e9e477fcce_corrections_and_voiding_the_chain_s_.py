"""corrections and voiding (the Voidable columns), the chain's links (an agreement's projects,
an HQ enterprise's agreement, a project's talents and outcome)

Revision ID: 39e9e477fcce
Revises: a0e2980c6e4f
Create Date: 2026-12-01 11:45:06.424377
"""

from collections.abc import Sequence

import enclave_shared.db
import sqlalchemy as sa
from alembic import op

revision: str = "39e9e477fcce"
down_revision: str | None = "a0e2980c6e4f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inc_activities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voided_at", enclave_shared.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))

    with op.batch_alter_table("inc_agreements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("project_ids", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("voided_at", enclave_shared.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))

    with op.batch_alter_table("inc_hq_enterprises", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agreement_id", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("voided_at", enclave_shared.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            "fk_inc_hq_enterprises_agreement_id", "inc_agreements", ["agreement_id"], ["id"]
        )

    with op.batch_alter_table("inc_projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("team_talent_ids", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("outcome", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("voided_at", enclave_shared.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))

    with op.batch_alter_table("inc_talents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voided_at", enclave_shared.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))

    with op.batch_alter_table("inc_training_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voided_at", enclave_shared.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inc_training_records", schema=None) as batch_op:
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_at")

    with op.batch_alter_table("inc_talents", schema=None) as batch_op:
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_at")

    with op.batch_alter_table("inc_projects", schema=None) as batch_op:
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_at")
        batch_op.drop_column("outcome")
        batch_op.drop_column("team_talent_ids")

    with op.batch_alter_table("inc_hq_enterprises", schema=None) as batch_op:
        batch_op.drop_constraint("fk_inc_hq_enterprises_agreement_id", type_="foreignkey")
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_at")
        batch_op.drop_column("agreement_id")

    with op.batch_alter_table("inc_agreements", schema=None) as batch_op:
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_at")
        batch_op.drop_column("project_ids")

    with op.batch_alter_table("inc_activities", schema=None) as batch_op:
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_at")
