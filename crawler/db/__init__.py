"""The database room: models, engine, migrations, and the repository of verbs over them."""
