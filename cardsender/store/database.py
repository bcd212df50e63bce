"""Opening the store: one SQLite file, WAL, foreign keys, busy timeout, schema migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from cardsender.store.migrations import LATEST_VERSION, MIGRATIONS

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A problem with the store that a person can act on; the message says what and where."""


class NotFound(StoreError):
    """No row with that id."""


def _create_private_file(path: Path) -> None:
    """Create the store file readable and writable by its owner only (0600 on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    if sys.platform != "win32":
        os.chmod(path, 0o600)  # whatever the umask said


class StoreBase:
    """The connection and its rules. Queries live in the mixins that make up :class:`Store`."""

    def __init__(self, path: str | os.PathLike[str], *, migrate: bool = True) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a store file")
        if not self.path.exists():
            try:
                _create_private_file(self.path)
            except OSError as error:
                raise StoreError(f"cannot create the store at {self.path}: {error.strerror}") from None
        try:
            # check_same_thread=False lets an import hand the store to its writer thread; the
            # store is still used by one thread at a time (each GUI worker opens its own).
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the store at {self.path}: {error}") from None
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # Up to 64 MB of pages (taken only as used): an import's chunk of index pages
            # stays in memory until its commit (bench/import_calls.py).
            conn.execute("PRAGMA cache_size = -65536")
            version = self.schema_version
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StoreError(f"{self.path} is not a cardsender store ({error})") from None
        if version > LATEST_VERSION:
            conn.close()
            raise StoreError(
                f"{self.path} was written by a newer cardsender (schema {version}, this one knows "
                f"up to {LATEST_VERSION}); update the app"
            )
        if migrate and version < LATEST_VERSION:
            self.migrate()

    # -- connection -------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """All or nothing. The outermost level takes the write lock at once (BEGIN IMMEDIATE),
        so two processes changing the same cards wait for each other instead of failing half
        way; inner levels are savepoints."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- schema -----------------------------------------------------------------------------
    def migrate(self, target: int = LATEST_VERSION) -> None:
        """Run every step from the file's version up to ``target``, after copying a store that
        already holds data to ``<name>.v<N>.bak``. The steps run in one transaction that takes
        the write lock and reads the version again, so a second process (or thread) opening the
        store at the same moment waits, then finds it migrated; a failed step leaves the file as
        it was."""
        start = self.schema_version
        if start >= target:
            return
        if start > 0:
            self.backup(self.path.with_name(f"{self.path.name}.v{start}.bak"))
        with self.transaction():
            start = self.schema_version  # another opener may have migrated it meanwhile
            for version in range(start + 1, target + 1):
                MIGRATIONS[version - 1](self.db)
                self.conn.execute(f"PRAGMA user_version = {version}")

    def backup(self, destination: Path) -> None:
        """A consistent copy of the store, taken with SQLite's online backup into a private
        file of its own and then renamed, so two openers backing up at once never collide."""
        partial = destination.with_name(f"{destination.name}.{os.getpid()}-{threading.get_ident()}.partial")
        partial.unlink(missing_ok=True)
        _create_private_file(partial)
        target = sqlite3.connect(partial)
        try:
            self.conn.backup(target)
        finally:
            target.close()
        os.replace(partial, destination)
