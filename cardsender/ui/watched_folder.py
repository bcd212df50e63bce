"""The watched import folder: call logs saved into it are imported by themselves.

A phone system's scheduled export (or a rep saving one from the browser) writes a file in the
folder; once it has stopped growing for a moment it is handed on, once: files already taken in
are remembered by name, size and modification time, so a file that changes later is taken
again (its calls already stored are skipped by the importer) and one that does not is never.
The import itself runs on a worker (see MainWindow); this object only watches and decides.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from cardsender.ui.preferences import Preferences

SUFFIXES = (".csv", ".txt")
SETTLE_MS = 2000  # a file whose size and time have not changed for this long is complete
POLL_MS = 500


@dataclass(frozen=True)
class ReadyFile:
    path: Path
    key: str  # name|size|mtime_ns, remembered once the file is imported


def file_key(path: Path, size: int, mtime_ns: int) -> str:
    return f"{path.name}|{size}|{mtime_ns}"


class WatchedFolder(QObject):
    """Says ``file_ready`` for each new or changed call log in the folder, once it has settled.

    The owner imports it and then calls :meth:`mark_imported` (also after a failure: a broken
    file is not retried until it changes)."""

    file_ready = Signal(object)  # a ReadyFile
    folder_changed = Signal(str)  # the folder now watched ("" for none)

    def __init__(self, preferences: Preferences, parent: QObject | None = None, *,
                 settle_ms: int = SETTLE_MS, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._settle_s = settle_ms / 1000
        self._folder: Path | None = None
        # path -> (size, mtime_ns, monotonic time it was last seen changing)
        self._pending: dict[Path, tuple[int, int, float]] = {}
        self._handed_on: set[str] = set()  # keys said ready and not yet marked imported
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self.scan)
        self._watcher.fileChanged.connect(self.scan)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._check_pending)

    @property
    def folder(self) -> Path | None:
        return self._folder

    def set_folder(self, folder: str | os.PathLike[str] | None) -> None:
        """Watch ``folder`` (None or "" to stop watching); what is in it already is looked at now."""
        paths = self._watcher.directories() + self._watcher.files()
        if paths:
            self._watcher.removePaths(paths)
        self._pending.clear()
        self._timer.stop()
        self._folder = Path(folder).expanduser() if folder else None
        if self._folder is not None and self._folder.is_dir():
            self._watcher.addPath(str(self._folder))
            self.scan()
        self.folder_changed.emit(str(self._folder or ""))

    def mark_imported(self, ready: ReadyFile) -> None:
        self._handed_on.discard(ready.key)
        self._preferences.remember_watched_import(ready.key)

    def scan(self, _changed_path: str = "") -> None:
        """Look at every call log in the folder: new or changed ones start settling."""
        if self._folder is None:
            return
        done = set(self._preferences.watched_imports()) | self._handed_on
        watched = set(self._watcher.files())
        try:
            entries = list(os.scandir(self._folder))
        except OSError:
            return  # the folder went away (a network share dropped): watch again when it is back
        for entry in entries:
            if not entry.name.lower().endswith(SUFFIXES) or entry.name.startswith("."):
                continue
            try:
                if not entry.is_file():
                    continue
                info = entry.stat()
            except OSError:
                continue
            path = Path(entry.path)
            if entry.path not in watched:
                self._watcher.addPath(entry.path)  # to hear about changes to it later
            if info.st_size == 0 or file_key(path, info.st_size, info.st_mtime_ns) in done:
                continue  # an empty file is one being created: its first bytes bring it back here
            known = self._pending.get(path)
            if known is None or known[:2] != (info.st_size, info.st_mtime_ns):
                self._pending[path] = (info.st_size, info.st_mtime_ns, time.monotonic())
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def _check_pending(self) -> None:
        now = time.monotonic()
        for path, (size, mtime_ns, since) in list(self._pending.items()):
            try:
                info = path.stat()
            except OSError:
                del self._pending[path]  # removed or renamed before it settled
                continue
            if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
                self._pending[path] = (info.st_size, info.st_mtime_ns, now)  # still being written
            elif now - since >= self._settle_s:
                del self._pending[path]
                key = file_key(path, size, mtime_ns)
                self._handed_on.add(key)
                self.file_ready.emit(ReadyFile(path, key))
        if not self._pending:
            self._timer.stop()
