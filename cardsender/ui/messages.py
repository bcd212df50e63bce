"""Messages to the rep: a user's problem as it is, anything else as a short "something went
wrong" with the exception's text. Never a traceback dialog (the traceback goes to the log)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from cardsender.errors import is_user_error

log = logging.getLogger(__name__)


def show_message(parent: QWidget | None, title: str, text: str,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
    """A window-modal message that does not block the caller (``open``, not ``exec``): the
    event loop keeps running, so workers' results still arrive and tests can read the box."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and reasons are not markup
    box.open()
    return box


def failure_text(error: BaseException) -> str:
    if is_user_error(error):
        return str(error)
    text = str(error) or "no details"
    return f"Something went wrong inside cardsender ({type(error).__name__}: {text})."


def show_failure(parent: QWidget | None, title: str, error: BaseException) -> QMessageBox:
    if is_user_error(error):
        return show_message(parent, title, failure_text(error), QMessageBox.Icon.Warning)
    log.error("%s failed", title, exc_info=error)
    return show_message(parent, title, failure_text(error), QMessageBox.Icon.Critical)
