"""Alembic environment: runs with the engine (and, from ensure_schema, the open connection) that
crawler.db.engine puts in the config's attributes; there is no alembic.ini."""

from alembic import context

from crawler.db.models import Base, is_modelled


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=is_modelled,  # autogenerate must not drop the full-text index
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    with context.config.attributes["engine"].begin() as opened:
        run_migrations(opened)
