"""Dropped pages remembered: a re-crawl does not download again a page it dropped (not an article,
no title, a duplicate…) unless its validators or the extractor's version say it may have changed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

from crawler.db.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dropped_pages",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("reason", sa.String(50), nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.String(64)),
        sa.Column("extractor_version", sa.String(20), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_dropped_pages_site", "dropped_pages", ["site"])


def downgrade() -> None:
    op.drop_index("ix_dropped_pages_site", "dropped_pages")
    op.drop_table("dropped_pages")
