"""An index on articles.updated_at: the HTTP API filters and orders by it (updated_at_gte,
ordering=updated_at), which scanned every article without one (~0.5 s at 100k articles).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_updated_at", "articles", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_updated_at", table_name="articles")
