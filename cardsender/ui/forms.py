"""Forms in group boxes, laid out alike in every dialog that has them (Settings, the welcome)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget


def group_form(group: QGroupBox) -> QFormLayout:
    """The group's form: labels right-aligned, fields taking the width."""
    form = QFormLayout(group)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return form


def align_form_labels(dialog: QWidget) -> None:
    """One label column for every group, so that the fields line up down the dialog."""
    forms = dialog.findChildren(QFormLayout)
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for form in forms for row in range(form.rowCount())]
    widgets = [item.widget() for item in labels if item is not None and item.widget() is not None]
    width = max((w.sizeHint().width() for w in widgets), default=0)
    for widget in widgets:
        widget.setMinimumWidth(width)
