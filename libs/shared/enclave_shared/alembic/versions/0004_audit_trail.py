"""audit trail: who changed what, when, by which request

Revision ID: platform_0004
Revises: platform_0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import enclave_shared.db
import sqlalchemy as sa
from alembic import op

revision: str = "platform_0004"
down_revision: str | None = "platform_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_trail",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=200), nullable=True),
        sa.Column("at", enclave_shared.db.UTCDateTime(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entity", "audit_trail", ["entity", "entity_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_entity", table_name="audit_trail")
    op.drop_table("audit_trail")
