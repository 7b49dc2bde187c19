"""sample tables

Revision ID: sample_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "sample_0001"
down_revision = None
branch_labels = ("sample",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sample_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.String(50), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
    )
    op.create_table(
        "sample_applied",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.String(50), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("consumer", sa.String(50), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sample_applied")
    op.drop_table("sample_notes")
