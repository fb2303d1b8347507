"""story_bands without its foreign key to articles: an article writes 64 band rows, and checking
each against articles cost more than writing it (on PostgreSQL the key's checks were 60 % of
the band rows' insert, the largest part of linking). Nothing deletes articles; a band row an
article deleted by hand leaves behind finds no sketch, and linking passes it by.

SQLite cannot drop a constraint: the table is copied, as Alembic's batch mode would (this table
has no triggers to lose). The rows are kept as they are.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _story_bands(name: str, *foreign_key: sa.ForeignKeyConstraint) -> sa.Table:
    return sa.Table(name, sa.MetaData(),
                    sa.Column("band", sa.BigInteger, primary_key=True),
                    sa.Column("day", sa.Integer, primary_key=True),
                    sa.Column("article_id", sa.Integer, primary_key=True),
                    *foreign_key)


def _copy_to(table: sa.Table) -> None:
    """story_bands' rows into ``table``, which then takes its place (SQLite)."""
    table.create(op.get_bind())
    op.execute(f"INSERT INTO {table.name} (band, day, article_id) SELECT band, day, article_id FROM story_bands")
    op.drop_table("story_bands")
    op.rename_table(table.name, "story_bands")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("story_bands_article_id_fkey", "story_bands", type_="foreignkey")
    else:
        _copy_to(_story_bands("story_bands_new"))


def downgrade() -> None:
    # Rows of articles deleted meanwhile would break the key: they go first.
    op.execute("DELETE FROM story_bands WHERE article_id NOT IN (SELECT id FROM articles)")
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key("story_bands_article_id_fkey", "story_bands", "articles", ["article_id"], ["id"],
                              ondelete="CASCADE")
    else:
        _copy_to(_story_bands("story_bands_old", sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                                                          ondelete="CASCADE")))
