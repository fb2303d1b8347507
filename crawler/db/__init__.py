"""The database room: models, engine, migrations, the repository of verbs over them, and
``open_store`` (see crawler/db/store.py) for reading the store from Python."""

from crawler.db.engine import StoreUnavailable
from crawler.db.query import QueryError
from crawler.db.store import Store, open_store

__all__ = ["QueryError", "Store", "StoreUnavailable", "open_store"]
