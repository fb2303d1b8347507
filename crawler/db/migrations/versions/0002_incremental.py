"""Incremental crawls: each article's HTTP validators (ETag, Last-Modified) for conditional
re-fetches, and each run's mode ("feeds" or "full") so the scheduler can tell when each is due.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both dialects (SQLite adds and, since 3.35, drops columns in place): a batch
# copy of ``articles`` on SQLite would lose the full-text triggers 0001 made.
def upgrade() -> None:
    op.add_column("articles", sa.Column("etag", sa.Text))
    op.add_column("articles", sa.Column("last_modified", sa.String(64)))
    op.add_column("crawl_runs", sa.Column("mode", sa.String(20)))


def downgrade() -> None:
    op.drop_column("crawl_runs", "mode")
    op.drop_column("articles", "last_modified")
    op.drop_column("articles", "etag")
