"""Work off the GUI thread, results back on it: one helper, :func:`run_task`.

In the spirit of Picard's ``run_task`` and Anki's ``QueryOp``: the work runs on the Qt thread
pool and never touches a widget; its result, its exception or its progress reaches the
callbacks on the GUI thread through one long-lived GUI-thread object. Work that uses the store
opens its own (SQLite connections belong to one thread) and closes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal, Slot

T = TypeVar("T")


class TaskControl:
    """What a task and its owner share: progress going up, a request to stop coming down.

    ``progress`` and ``cancelled`` have the shapes the importers take, so they can be passed
    on as they are."""

    def __init__(self, dispatch_progress: Callable[[int, int], None]) -> None:
        self._dispatch_progress = dispatch_progress
        self._cancel_requested = threading.Event()
        self._abandoned = threading.Event()

    # -- called by the work, on its thread ----------------------------------------------------
    def progress(self, done: int, total: int) -> None:
        self._dispatch_progress(done, total)

    def cancelled(self) -> bool:
        return self._cancel_requested.is_set()

    # -- called by the owner, on the GUI thread -----------------------------------------------
    def cancel(self) -> None:
        """Ask the work to stop at its next check (it decides where that is)."""
        self._cancel_requested.set()

    def abandon(self) -> None:
        """Drop whatever the task still reports: its owner is going away."""
        self._abandoned.set()

    @property
    def abandoned(self) -> bool:
        return self._abandoned.is_set()


class _GuiThreadDispatcher(QObject):
    """Runs callables on the GUI thread. Workers emit ``call`` from their own threads; the
    queued connection delivers it in this object's thread. It lives as long as the
    application, so a late result never reaches a deleted sender."""

    call = Signal(object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, function: Callable[[], None]) -> None:
        function()


_dispatcher: _GuiThreadDispatcher | None = None


def _gui_dispatcher() -> _GuiThreadDispatcher:
    global _dispatcher
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("run_task needs a QApplication")
    if _dispatcher is None or not shiboken6.isValid(_dispatcher) or _dispatcher.parent() is not app:
        _dispatcher = _GuiThreadDispatcher(app)
    return _dispatcher


def run_task(
    work: Callable[[TaskControl], T],
    on_done: Callable[[T], Any],
    on_error: Callable[[BaseException], Any],
    *,
    on_progress: Callable[[int, int], Any] | None = None,
    context: QObject | None = None,
    pool: QThreadPool | None = None,
) -> TaskControl:
    """Run ``work(control)`` on the thread pool. Exactly one of ``on_done(result)`` or
    ``on_error(exception)`` is then called on the GUI thread, unless ``context`` (the widget
    that asked) has been deleted or the task was abandoned. Call from the GUI thread."""
    dispatcher = _gui_dispatcher()

    def deliver(callback: Callable[..., Any], *args: Any) -> None:
        def call_on_gui_thread() -> None:
            if control.abandoned or (context is not None and not shiboken6.isValid(context)):
                return
            callback(*args)

        dispatcher.call.emit(call_on_gui_thread)

    def report_progress(done: int, total: int) -> None:
        if on_progress is not None:
            deliver(on_progress, done, total)

    control = TaskControl(report_progress)

    def run() -> None:
        try:
            result = work(control)
        except BaseException as error:  # every failure goes back to the GUI, never lost in a thread
            deliver(on_error, error)
        else:
            deliver(on_done, result)

    (pool or QThreadPool.globalInstance()).start(run)
    return control
