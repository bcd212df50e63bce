"""The Qt half of ``cardsender --self-check`` (see cardsender/selfcheck.py): the platform plugin
starts, the image formats and SVG icons load, QtPdf reads a proof the self-check just rendered,
and the desktop client's modules import. Nothing is shown on screen.

A missing platform plugin makes Qt abort the process, so its file is looked for first and the
application is created only when it is there. On Linux without a screen the check runs on Qt's
offscreen platform and says so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cardsender.selfcheck import Check, SelfCheck, SelfCheckFailure

IMAGE_FORMATS = ("png", "jpeg", "svg")


def run_qt_checks(result: SelfCheck) -> None:
    """Add the Qt checks to ``result`` (whose proofs QtPdf reads back)."""
    try:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import QCoreApplication, QLibraryInfo, qVersion
        from PySide6.QtWidgets import QApplication
    except ImportError as error:
        result.add(Check("qt", False, f"Qt cannot be loaded ({error})"))
        return

    platform, note = _platform()
    plugin_dirs = _plugin_dirs(QCoreApplication.libraryPaths(), QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    available = sorted({name for folder in plugin_dirs for name in _plugin_names(folder / "platforms")})
    if QApplication.instance() is None and platform not in available:
        result.add(Check("qt platform", False,
                         f"no {platform!r} platform plugin (found: {', '.join(available) or 'none'}; looked in "
                         f"{', '.join(str(d / 'platforms') for d in plugin_dirs) or 'no plugin folder'})"))
        return
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "cardsender"])
    result.add(Check("qt platform", True, f"Qt {qVersion()} (PySide6 {pyside_version}) started on "
                                          f"{app.platformName()}{note}; platform plugins: {', '.join(available)}"))
    result.run("qt image formats", _image_formats)
    result.run("qt svg", _svg)
    result.run("qt pdf", lambda: _pdf(result))
    result.run("qt modules", _modules)


def _platform() -> tuple[str, str]:
    """The platform plugin Qt will load, and a note when the check chose offscreen itself."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen, ""
    if sys.platform == "win32":
        return "windows", ""
    if sys.platform == "darwin":
        return "cocoa", ""
    if os.environ.get("WAYLAND_DISPLAY"):
        return "wayland", ""
    if os.environ.get("DISPLAY"):
        return "xcb", ""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen here: check what can be checked
    return "offscreen", " (no screen here: checked offscreen)"


def _plugin_dirs(*candidates) -> list[Path]:
    folders: list[Path] = []
    for candidate in candidates:
        for path in ([candidate] if isinstance(candidate, str) else candidate):
            folder = Path(path)
            if (folder / "platforms").is_dir() and folder not in folders:
                folders.append(folder)
    return folders


def _plugin_names(folder: Path) -> set[str]:
    """``libqxcb.so`` / ``qwindows.dll`` / ``libqcocoa.dylib`` -> xcb / windows / cocoa."""
    names = set()
    for path in folder.glob("*q*.*"):
        stem = path.name.split(".")[0]
        stem = stem.removeprefix("lib")
        if stem.startswith("q") and path.suffix in (".so", ".dll", ".dylib"):
            names.add(stem[1:])
    return names


def _image_formats() -> str:
    from PySide6.QtGui import QImageReader

    known = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    missing = [f for f in IMAGE_FORMATS if f not in known]
    if missing:
        raise SelfCheckFailure(f"Qt cannot read {', '.join(missing)} images (image format plugins missing)")
    return f"reads {', '.join(sorted(known))}"


def _svg() -> str:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon
    from PySide6.QtSvg import QSvgRenderer

    from cardsender.templates import templates_dir

    art = next(iter(sorted(templates_dir().glob("*/front.svg"))), None)
    if art is None:
        raise SelfCheckFailure(f"no template art to draw in {templates_dir()}")
    renderer = QSvgRenderer(str(art))
    if not renderer.isValid():
        raise SelfCheckFailure(f"QtSvg cannot draw {art}")
    if QIcon(str(art)).pixmap(QSize(32, 32)).isNull():
        raise SelfCheckFailure("an SVG icon draws empty (the SVG icon engine plugin is missing)")
    return f"QtSvg draws {art.parent.name}/{art.name}; SVG icons draw"


def _pdf(result: SelfCheck) -> str:
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    if not result.proofs:
        raise SelfCheckFailure("no proof was rendered to read back (see the proof checks above)")
    slug, path = next(iter(result.proofs.items()))
    document = QPdfDocument()
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_:
        raise SelfCheckFailure(f"QtPdf cannot open the {slug} proof ({error.name})")
    pages = document.pageCount()
    expected = result.proof_pages[slug]
    if pages != expected:
        raise SelfCheckFailure(f"QtPdf reads {pages} pages in the {slug} proof, expected {expected}")
    image = document.render(0, QSize(300, 200))
    document.close()
    if image.isNull():
        raise SelfCheckFailure(f"QtPdf cannot draw the {slug} proof's first page")
    return f"QtPdf opens the {slug} proof ({pages} pages) and draws its first page"


def _modules() -> str:
    import importlib

    # The windows the main window opens on demand are imported here too: a module the bundle
    # left out would otherwise show only when a rep first opens that window.
    names = ("PySide6.QtWidgets", "PySide6.QtPdf", "PySide6.QtSvg", "PySide6.QtCharts",
             "cardsender.ui.app", "cardsender.ui.main_window", "cardsender.ui.composer",
             "cardsender.ui.customer_dialog", "cardsender.ui.my_cards", "cardsender.ui.mailroom_view",
             "cardsender.ui.reports_view", "cardsender.ui.settings_dialog", "cardsender.ui.report_dialog",
             "cardsender.ui.first_run")
    for name in names:
        importlib.import_module(name)
    return "QtWidgets, QtPdf, QtSvg, QtCharts and every window of the desktop client import"
