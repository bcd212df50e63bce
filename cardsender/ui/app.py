"""Starting the desktop client: ``cardsender`` with no command calls :func:`run`."""

from __future__ import annotations

import logging
import os
import sys
from types import TracebackType

from PySide6.QtCore import QEventLoop, QSize, Qt, QThreadPool, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from cardsender import APP_NAME, __version__
from cardsender.errors import is_user_error
from cardsender.resources import asset_path
from cardsender.store import LATEST_VERSION, Store, resolve_db_path
from cardsender.store.paths import ENV_VAR
from cardsender.ui.first_run import welcome_if_new
from cardsender.ui.main_window import MainWindow
from cardsender.ui.messages import failure_text, show_failure
from cardsender.ui.preferences import Preferences
from cardsender.ui.tasks import run_task

log = logging.getLogger(__name__)

# How long, at exit, to let a stopping import finish the chunk in hand (it stores it and stops).
_WORKERS_EXIT_WAIT_MS = 15_000


def make_application() -> QApplication:
    """The QApplication with the names QSettings files its settings under. Qt 6 scales for
    high-DPI screens by itself (fractional factors passed through): no attribute to set.
    File dialogs are the platform's own (Qt's default; nothing here turns them off)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])  # argparse has read the rest
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The app's icon in every size drawn for it (scripts/make_icons.py): Qt picks the one
    that fits the title bar, task bar or dialog at the screen's scale."""
    icon = QIcon()
    for path in sorted(asset_path("icons", "hicolor").glob("*x*/apps/cardsender.png")):
        side = int(path.parent.parent.name.partition("x")[0])  # hicolor/48x48/apps/cardsender.png
        icon.addFile(str(path), QSize(side, side))
    if icon.isNull():  # a bundle that took only the one PNG
        icon.addFile(str(asset_path("icons", "cardsender.png")))
    return icon


def store_location(db: str | None, preferences: Preferences) -> str | None:
    """--db, else $CARDSENDER_DB (both read by open_store), else the store chosen in Settings,
    else None: the default file in the user's data folder."""
    if db or os.environ.get(ENV_VAR):
        return db
    return preferences.store_path or None


def open_gui_store(db: str | None, preferences: Preferences) -> tuple[Store, bool]:
    """The store the window uses, and whether it was made just now (its file did not exist).

    A store written by an earlier version is brought up to date first; on a large store that
    takes seconds (counting 100,000 cards by day takes about 4), so it runs on a worker while
    a notice says what is happening, instead of a start that seems to hang."""
    path = resolve_db_path(store_location(db, preferences))
    created = not path.exists()
    store = Store(path, migrate=False)
    try:
        if 0 < store.schema_version < LATEST_VERSION:
            _migrate_with_notice(store)
        else:
            store.migrate()  # a new store: its tables, in a moment
    except BaseException:
        store.close()
        raise
    return store, created


def _migrate_with_notice(store: Store) -> None:
    notice = QProgressDialog(
        f"Updating your store for {APP_NAME} {__version__}…\n\n{store.path}\n\n"
        "This happens once after an update. A copy of the store as it was is kept beside it.",
        "", 0, 0)
    notice.setWindowTitle(APP_NAME)
    notice.setCancelButton(None)  # a migration runs in one transaction: stopping it gains nothing
    notice.setWindowModality(Qt.WindowModality.ApplicationModal)
    notice.reset()  # shown below, not by QProgressDialog's own timer (it waits for a setValue)
    loop = QEventLoop()
    QTimer.singleShot(300, loop, notice.show)  # a small store is done before the notice would show
    failure: list[BaseException] = []

    def failed(error: BaseException) -> None:
        failure.append(error)
        loop.quit()

    # The worker has the connection to itself until it is done (the store allows another
    # thread; nothing here touches it meanwhile).
    run_task(lambda _control: store.migrate(), lambda _result: loop.quit(), failed)
    loop.exec()
    notice.close()
    notice.deleteLater()
    if failure:
        raise failure[0]


def run(db: str | None) -> int:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format=f"{APP_NAME}: %(levelname)s: %(message)s")
    app = make_application()
    preferences = Preferences()
    try:
        store, created = open_gui_store(db, preferences)
    except Exception as error:  # a StoreError says what and where; anything else is ours
        return _cannot_start(f"{APP_NAME} cannot open its store", error)
    previous_hook = sys.excepthook
    sys.excepthook = _show_unexpected_error
    try:
        try:
            welcome = welcome_if_new(store, preferences, created=created)
            if welcome is not None:  # before the window, which then starts on what it saved
                welcome.exec()
                welcome.deleteLater()
            window = MainWindow(store)
        except Exception as error:  # a damaged store can fail its first query
            return _cannot_start(f"{APP_NAME} cannot start", error)
        window.show()
        code = app.exec()
        QThreadPool.globalInstance().waitForDone(_WORKERS_EXIT_WAIT_MS)
        return code
    finally:
        sys.excepthook = previous_hook
        store.close()


def _cannot_start(title: str, error: Exception) -> int:
    if not is_user_error(error):
        log.error("%s", title, exc_info=error)
    QMessageBox.critical(None, title, failure_text(error))  # no window yet: a blocking box is right
    return 1


def _show_unexpected_error(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """A bug in a slot: said in a short message, the traceback to the log; the app goes on."""
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    show_failure(QApplication.activeWindow(), APP_NAME, error.with_traceback(tb))
