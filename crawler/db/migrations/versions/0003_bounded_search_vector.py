"""PostgreSQL's search vector reads at most the first 500,000 characters of a body (and 10,000 of
a title): a tsvector holds at most 1 MB, and a long body of varied words (a data dump served as an
article) went over it, so the database refused the whole article. SQLite's FTS5 has no such bound.

Recomputing the generated column rewrites the articles table once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Varied words take up to about 1.4 bytes of tsvector a character: 500,000 characters stay under 1 MB.
BODY_CHARACTERS = 500_000
TITLE_CHARACTERS = 10_000


def _search_vector(title: str, body: str) -> list[str]:
    """Statements that make the search vector from ``title`` and ``body`` (SQL expressions), and its index."""
    return [
        "ALTER TABLE articles DROP COLUMN search_vector",  # its GIN index goes with it
        f"""ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, {title}), 'A') ||
            setweight(to_tsvector('simple'::regconfig, {body}), 'B')) STORED""",
        "CREATE INDEX search_vector_gin ON articles USING GIN (search_vector)",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _search_vector(f"left(coalesce(title, ''), {TITLE_CHARACTERS})",
                                        f"left(coalesce(body, ''), {BODY_CHARACTERS})"):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _search_vector("coalesce(title, '')", "coalesce(body, '')"):
            op.execute(statement)
