"""inbox keyed by (consumer, source, event id): an event id is unique only within its source

Revision ID: platform_0002
Revises: platform_0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import enclave_shared.db
import sqlalchemy as sa
from alembic import op
from enclave_shared import catalog

revision: str = "platform_0002"
down_revision: str | None = "platform_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox_events_by_source",
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("processed_at", enclave_shared.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "source", "event_id"),
    )
    # Every applied event's source follows from its type: the catalog names its producer.
    for model in catalog.ALL_EVENTS:
        op.execute(
            sa.text(
                "INSERT INTO inbox_events_by_source "
                "(consumer, source, event_id, event_type, processed_at) "
                "SELECT consumer, :source, event_id, event_type, processed_at "
                "FROM inbox_events WHERE event_type = :type"
            ).bindparams(source=f"/enclave/{model.producer}", type=model.event_type)
        )
    op.drop_table("inbox_events")
    op.rename_table("inbox_events_by_source", "inbox_events")


def downgrade() -> None:
    raise NotImplementedError("the inbox keyed by event id alone would let forged ids collide")
