"""The local store: the only package that speaks SQL (see DESIGN.md)."""

from __future__ import annotations

import os

from cardsender.store.batches import BatchQueries
from cardsender.store.calls import CallQueries
from cardsender.store.cards import CardQueries, CardStateError
from cardsender.store.customers import CustomerQueries
from cardsender.store.database import NotFound, StoreBase, StoreError
from cardsender.store.migrations import LATEST_VERSION
from cardsender.store.paths import default_db_path, resolve_db_path
from cardsender.store.reports import ReportQueries


class Store(ReportQueries, BatchQueries, CallQueries, CustomerQueries, CardQueries, StoreBase):
    """One cardsender store file. Open it with :func:`open_store`."""


def open_store(path: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and migrating as needed) the store at ``path``, $CARDSENDER_DB, or the
    user's data folder."""
    return Store(resolve_db_path(path))


__all__ = [
    "LATEST_VERSION", "CardStateError", "NotFound", "Store", "StoreError", "default_db_path",
    "open_store", "resolve_db_path",
]
