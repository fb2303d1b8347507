"""Shared crawls: the runs of the workers that crawled a site together (SPACECRAWL_REDIS_URL) name
the crawl they were part of and which worker each was; the crawl as a whole is a run of its own,
with the crawl's id and no worker.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("crawl_runs", sa.Column("crawl_id", sa.String(80)))
    op.add_column("crawl_runs", sa.Column("worker", sa.String(200)))
    op.create_index("ix_crawl_runs_crawl_id", "crawl_runs", ["crawl_id"])


def downgrade() -> None:
    op.drop_index("ix_crawl_runs_crawl_id", "crawl_runs")
    op.drop_column("crawl_runs", "worker")
    op.drop_column("crawl_runs", "crawl_id")
