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

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


_COLUMNS = "band BIGINT NOT NULL, day INTEGER NOT NULL, article_id INTEGER NOT NULL, PRIMARY KEY (band, day, article_id)"
_FOREIGN_KEY = ", FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE"


def _copy_to(name: str, definition: str) -> None:
    """story_bands' rows into a new table of ``definition``, which then takes its place (SQLite)."""
    op.execute(f"CREATE TABLE {name} ({definition})")
    op.execute(f"INSERT INTO {name} (band, day, article_id) SELECT band, day, article_id FROM story_bands")
    op.drop_table("story_bands")
    op.rename_table(name, "story_bands")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("story_bands_article_id_fkey", "story_bands", type_="foreignkey")
    else:
        _copy_to("story_bands_new", _COLUMNS)


def downgrade() -> None:
    # Rows of articles deleted meanwhile would break the key: they go first.
    op.execute("DELETE FROM story_bands WHERE article_id NOT IN (SELECT id FROM articles)")
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key("story_bands_article_id_fkey", "story_bands", "articles", ["article_id"], ["id"],
                              ondelete="CASCADE")
    else:
        _copy_to("story_bands_old", _COLUMNS + _FOREIGN_KEY)
