"""The first start and the app's icon: a new store in the user's data folder gets the welcome
once (name, return address, demo data, where the store lives), a used one never does; the
window and the bundles have their icon. Workers are awaited by their signals, never timed."""

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSize, QThreadPool
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from cardsender.address import check_return_address
from cardsender.cards import SETTING_COMPANY, SETTING_COUNTRY, SETTING_RETURN_ADDRESS
from cardsender.demo import demo_config, load_demo
from cardsender.resources import asset_path
from cardsender.store import open_store
from cardsender.store import paths as store_paths
from cardsender.store.paths import ENV_VAR, FILE_NAME
from cardsender.ui import app as app_module
from cardsender.ui.first_run import WELCOME_COMPLETED, WELCOME_SKIPPED, FirstRunDialog, welcome_if_new
from cardsender.ui.main_window import MainWindow

RETURN_LINES = ["Prairie Gas & Light", "Customer Care", "1200 Main St", "Kansas City MO 64105"]


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """A fresh user data folder (nothing in it yet), and no --db or $CARDSENDER_DB."""
    folder = tmp_path / "user-data" / "cardsender"
    monkeypatch.setattr(store_paths.platformdirs, "user_data_path", lambda *args, **kwargs: folder)
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("CARDSENDER_USER", "mlopez")  # the login name the welcome suggests
    monkeypatch.delenv("CARDSENDER_REGION", raising=False)
    return folder


@pytest.fixture
def first_start(data_folder, preferences, qtbot):
    """Start as the app does on a desktop that never ran it: the store and its welcome."""
    opened = []

    def start():
        store, created = app_module.open_gui_store(None, preferences)
        opened.append(store)
        welcome = welcome_if_new(store, preferences, created=created)
        if welcome is not None:
            qtbot.addWidget(welcome)
            welcome.show()
        return store, created, welcome

    yield start
    QThreadPool.globalInstance().waitForDone(30_000)
    for store in opened:
        store.close()


def fill(welcome: FirstRunDialog, *, name="Maria Lopez", lines=RETURN_LINES, company="Prairie Gas & Light") -> None:
    welcome.name_edit.setText(name)
    welcome.team.company_edit.setText(company)
    welcome.team.return_address_edit.setPlainText("\n".join(lines))


def shown_text(welcome: FirstRunDialog) -> str:
    return " ".join(label.text() for label in welcome.findChildren(QLabel))


# -- when it is shown ------------------------------------------------------------------------------
def test_a_new_store_in_a_fresh_data_folder_gets_the_welcome_with_where_it_lives(first_start, data_folder):
    store, created, welcome = first_start()
    assert created and store.path == data_folder / FILE_NAME and store.path.is_file()
    assert isinstance(welcome, FirstRunDialog) and welcome.isVisible()
    assert welcome.name_edit.text() == "mlopez"  # the login name, for the rep to correct
    assert welcome.store_path_edit.text() == str(store.path) and welcome.store_path_edit.isReadOnly()
    assert "just made this store" in shown_text(welcome)
    assert not welcome.demo_check.isChecked()  # the demo is offered, never assumed
    assert welcome.team.country() == "US"


def test_filling_in_the_welcome_saves_the_name_here_and_the_return_address_in_the_store(first_start, preferences):
    store, _created, welcome = first_start()
    fill(welcome)
    welcome.start_button.click()

    assert welcome.result() == welcome.DialogCode.Accepted and not welcome.isVisible()
    assert preferences.rep_name == "Maria Lopez"
    assert store.get_setting(SETTING_COMPANY) == "Prairie Gas & Light"
    assert store.get_setting(SETTING_RETURN_ADDRESS) == RETURN_LINES
    assert store.get_setting(SETTING_COUNTRY) == "US"
    assert [e["detail"] for e in store.events(kind=WELCOME_COMPLETED)] == [{"demo": False}]
    assert store.count_calls() == 0 and store.count_customers() == 0  # no demo unless asked


def test_the_demo_data_is_loaded_on_a_worker_when_asked_and_the_reps_address_stays(first_start, qtbot):
    store, _created, welcome = first_start()
    fill(welcome)
    welcome.demo_check.setChecked(True)
    with qtbot.waitSignal(welcome.finished, timeout=60_000):
        welcome.start_button.click()
        # Until the worker's answer comes back through the event loop: busy, nothing to press.
        assert welcome.busy and welcome.progress.isVisible() and not welcome.buttons.isEnabled()
        assert welcome.isVisible() and "demo data" in welcome.status.text()
        welcome.reject()  # Escape while loading does nothing
        assert welcome.isVisible()

    assert welcome.result() == welcome.DialogCode.Accepted
    assert welcome.demo_summary["calls_added"] > 0 and welcome.demo_summary["customers_added"] == 340
    assert store.count_calls() == welcome.demo_summary["calls"] and store.count_customers() == 340
    assert set(store.list_reps()) == set(demo_config()["reps"])
    assert store.get_setting(SETTING_RETURN_ADDRESS) == RETURN_LINES  # the rep's, not the demo company's


def test_with_the_demo_and_no_address_the_demo_company_is_the_sender(first_start, qtbot):
    store, _created, welcome = first_start()
    fill(welcome, lines=[], company="")
    welcome.demo_check.setChecked(True)
    with qtbot.waitSignal(welcome.finished, timeout=60_000):
        welcome.start_button.click()
    assert store.get_setting(SETTING_RETURN_ADDRESS) == demo_config()["return_address"]
    assert store.get_setting(SETTING_COMPANY) == demo_config()["company"]


@pytest.mark.parametrize("answer", ["start", "skip", "close"])
def test_the_welcome_is_shown_once_whether_answered_or_skipped(first_start, preferences, answer):
    store, _created, welcome = first_start()
    if answer == "start":
        fill(welcome)
        welcome.start_button.click()
    elif answer == "skip":
        welcome.skip_button.click()
    else:
        welcome.close()  # the window's close button is a skip too
    assert not welcome.isVisible()
    skipped = answer != "start"
    assert bool(store.events(kind=WELCOME_SKIPPED)) == skipped
    assert (preferences.rep_name == "") == skipped  # a skip saves nothing
    store.close()

    again, created, second = first_start()
    assert not created and second is None


def test_after_a_skip_the_app_starts_on_the_empty_store(first_start, settings, preferences, qtbot):
    store, _created, welcome = first_start()
    welcome.skip_button.click()
    window = MainWindow(store, settings=settings, preferences=preferences)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.calls_refreshed, timeout=10_000):
        window.show()
    assert window.model.rowCount() == 0 and str(store.path) in window.store_label.text()
    window.close()


@pytest.mark.parametrize("prepared", ["demo data", "a return address", "imported customers"])
def test_a_store_that_is_already_in_use_gets_no_welcome(first_start, data_folder, prepared):
    """IT may hand out a store ready to use: whatever is in it, the rep is not asked again."""
    with open_store(data_folder / FILE_NAME) as store:
        if prepared == "demo data":
            load_demo(store, actor="it")
        elif prepared == "a return address":
            store.set_setting(SETTING_RETURN_ADDRESS, RETURN_LINES, actor="it")
        else:
            from cardsender.calllog.customers import import_customers
            import_customers(store, asset_path("demo", "customers.csv"), actor="it")
    _store, created, welcome = first_start()
    assert not created and welcome is None


def test_a_store_made_but_never_answered_gets_the_welcome_at_the_next_start(first_start, data_folder):
    """The app quit (or was killed) before the welcome was answered: nothing was set up, so ask."""
    open_store(data_folder / FILE_NAME).close()
    _store, created, welcome = first_start()
    assert not created and welcome is not None
    assert "just made" not in shown_text(welcome)


def test_run_shows_the_welcome_before_the_window_and_only_for_a_new_store(data_folder, preferences, qtbot,
                                                                        monkeypatch):
    happened = []

    class StandInWindow:
        def __init__(self, store):
            happened.append(("window", store.count_calls()))

        def show(self):
            pass

    def answer_welcome(dialog):
        happened.append(("welcome", dialog.created))
        dialog.skip_button.click()
        return 0

    monkeypatch.setattr(app_module, "Preferences", lambda: preferences)
    monkeypatch.setattr(app_module, "MainWindow", StandInWindow)
    monkeypatch.setattr(FirstRunDialog, "exec", answer_welcome)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    assert app_module.run(None) == 0
    assert happened == [("welcome", True), ("window", 0)]
    assert (data_folder / FILE_NAME).is_file()
    happened.clear()
    assert app_module.run(None) == 0
    assert happened == [("window", 0)]


# -- what the welcome checks ----------------------------------------------------------------------
def test_an_incomplete_return_address_is_said_beside_it_and_nothing_is_saved(first_start, preferences):
    store, _created, welcome = first_start()
    fill(welcome, lines=["Prairie Gas & Light", "1200 Main St", "Kansas City MO"])
    welcome.start_button.click()
    assert welcome.isVisible() and welcome.team.problem_label.isVisible()
    assert "ZIP code is missing" in welcome.team.problem_label.text()
    assert store.get_setting(SETTING_RETURN_ADDRESS) is None and preferences.rep_name == ""
    assert not store.events()

    welcome.team.return_address_edit.setPlainText("Prairie Gas & Light\n1200 Main St\nKansas City MO 64105")
    assert welcome.team.problem_label.isHidden()  # editing clears the old message
    welcome.start_button.click()
    assert not welcome.isVisible()
    assert store.get_setting(SETTING_RETURN_ADDRESS)[-1] == "Kansas City MO 64105"


def test_the_name_is_asked_for(first_start, preferences):
    _store, _created, welcome = first_start()
    fill(welcome, name="  ")
    welcome.start_button.click()
    assert welcome.isVisible() and welcome.name_problem.isVisible() and "name" in welcome.name_problem.text()
    welcome.name_edit.setText("Maria Lopez")
    welcome.start_button.click()
    assert not welcome.isVisible() and preferences.rep_name == "Maria Lopez"


def test_the_country_decides_how_the_address_is_checked(first_start, monkeypatch):
    monkeypatch.setenv("CARDSENDER_REGION", "GB")
    store, _created, welcome = first_start()
    assert welcome.team.country() == "GB"  # the desktop's region, until the store has one
    fill(welcome, lines=["Prairie Gas & Light", "12 High Street", "Manchester"])
    welcome.start_button.click()
    assert "no postal code" in welcome.team.problem_label.text()
    welcome.team.return_address_edit.setPlainText("Prairie Gas & Light\n12 High Street\nManchester\nM2 5BQ")
    welcome.start_button.click()
    assert not welcome.isVisible() and store.get_setting(SETTING_COUNTRY) == "GB"


@pytest.mark.parametrize(("lines", "country", "problem"), [
    ([], "US", None),  # not set yet: allowed
    (["Northwind Energy & Water", "Customer Care", "400 Grand Blvd", "Kansas City MO 64106"], "US", None),
    (["Acme", "PO Box 12", "Springfield IL 62701"], "US", None),
    (["Acme", "1 Main St", "New York, NY 10001-2345", "USA"], "US", None),
    (["Acme Ltd", "1 High St", "London", "EC1Y 8SY", "United Kingdom"], "GB", None),
    (["Acme GmbH", "Hauptstr. 1", "10115 Berlin"], "DE", None),
    (["Acme", "1 King St W", "Toronto ON M5H 1A1"], "CA", None),
    (["Acme"], "US", "needs a line for the street or PO box, then one for the city, state and ZIP code"),
    (["Acme", "1 Main St", "Kansas City MO"], "US", "the ZIP code is missing"),
    (["Acme", "1 Main St", "Kansas City MO 66102"], "US", "the ZIP code cannot be right"),
    (["Acme", "1 Main St", "Springfield"], "US", "the city, state and ZIP code are missing"),
    (["Acme Ltd", "1 High St", "London"], "GB", "no postal code; United Kingdom addresses have one, such as"),
    (["Acme SA", "1 rue de la Paix", "Paris"], "FR", "no postal code"),
])
def test_a_return_address_is_complete_with_a_street_and_a_city_line(lines, country, problem):
    said = check_return_address(lines, country)
    assert (said is None) if problem is None else (problem in said)


def test_settings_refuse_an_edited_address_that_is_incomplete_but_keep_an_old_one(store, preferences, qtbot):
    from cardsender.ui.settings_dialog import SettingsDialog

    store.set_setting(SETTING_RETURN_ADDRESS, ["Old Co", "Somewhere"], actor="it")  # from before the check
    dialog = SettingsDialog(store, preferences)
    qtbot.addWidget(dialog)
    dialog.accept()  # not edited: saved as it was
    assert dialog.result() == dialog.DialogCode.Accepted

    again = SettingsDialog(store, preferences)
    qtbot.addWidget(again)
    again.show()
    again.return_address_edit.setPlainText("Old Co\n9 Elm St")
    again.accept()
    assert again.isVisible() and "the city, state and ZIP code are missing" in again.team.problem_label.text()
    again.return_address_edit.setPlainText("Old Co\n9 Elm St\nTopeka KS 66603")
    again.team.set_country("US")
    again.accept()
    assert not again.isVisible() and store.get_setting(SETTING_RETURN_ADDRESS)[-1] == "Topeka KS 66603"


# -- where the store lives -------------------------------------------------------------------------
def test_the_stores_path_can_be_copied_and_its_folder_opened(first_start, monkeypatch):
    store, _created, welcome = first_start()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    welcome.open_folder_button.click()
    assert [Path(p) for p in opened] == [store.path.parent]
    welcome.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(store.path)


# -- the icon --------------------------------------------------------------------------------------
def test_the_window_has_the_app_icon_in_every_size_drawn(qapp):
    icon = app_module.app_icon()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 24, 32, 48, 64, 128, 256, 512} <= sizes
    app_module.make_application()
    assert not QApplication.windowIcon().isNull()
    assert QApplication.windowIcon().actualSize(QSize(32, 32)) == QSize(32, 32)


def test_the_bundles_icons_hold_the_sizes_each_platform_asks_for():
    icons = asset_path("icons")
    with Image.open(icons / "cardsender.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
    with Image.open(icons / "cardsender.ico") as ico:
        assert {16, 24, 32, 48, 64, 128, 256} <= {w for w, _h in ico.info["sizes"]}
    with Image.open(icons / "cardsender.icns") as icns:
        assert {(512, 512, 1), (512, 512, 2)} <= set(icns.info["sizes"])  # 512 px and 1024 px
    assert (icons / "cardsender.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
