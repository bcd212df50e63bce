"""The composer's template gallery: each template's front, drawn from its own proof by the one
renderer and rasterized with QtPdf on the render worker, cached for the session; filtered by
occasion and worked with the arrow keys (moving to a template picks it)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QKeyEvent, QPainter, QPen, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

from cardsender.cards import PreviewInputs, render_preview
from cardsender.render.proof import MARGIN
from cardsender.templates import Template
from cardsender.ui.composer_preview import load_pdf, render_pool, render_region
from cardsender.ui.tasks import run_task

THUMB_BOX = QSize(80, 104)   # logical pixels; a portrait A2 front fills it, a postcard sits in it
SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
OCCASION_ROLE = Qt.ItemDataRole.UserRole + 2

OCCASION_TITLES = {
    "thank-you": "Thank you", "apology": "Apology", "patience": "Patience", "welcome": "Welcome",
    "congratulations": "Congratulations", "sympathy": "Sympathy", "holidays": "Holidays",
    "anniversary": "Anniversary", "other": "Other",
}
ALL_OCCASIONS = ""

# Made-up merge values and address: the front never shows them, but the proof needs them.
_SAMPLE_VALUES = {"first_name": "Alex", "last_name": "Rivera", "full_name": "Alex Rivera",
                  "rep_name": "Sam", "company": "Company"}
_SAMPLE_ADDRESS = ("ALEX RIVERA", "100 MAIN ST", "KANSAS CITY MO  64105")

# (slug, content hash, box, device pixel ratio) -> the front, rendered once per session
_thumbnails: dict[tuple[str, str, int, int, float], QImage] = {}


def occasion_title(occasion: str) -> str:
    return OCCASION_TITLES.get(occasion, occasion.replace("-", " ").capitalize())


def render_front(template: Template, box: QSize, dpr: float) -> QImage:
    """The template's front panel from its proof (the worker's side)."""
    inputs = PreviewInputs(template, dict(_SAMPLE_VALUES), _SAMPLE_ADDRESS, (), None, None)
    pdf, _fit = render_preview(inputs, "Thank you.")
    document, _buffer = load_pdf(pdf)
    try:
        fmt = template.format
        left = MARGIN + (fmt.width if fmt.folded else 0)  # the outside spread is [back | front]
        return render_region(document, 0, QRectF(left, MARGIN, fmt.width, fmt.height), box, dpr)
    finally:
        document.close()


def _cache_key(template: Template, box: QSize, dpr: float) -> tuple[str, str, int, int, float]:
    return (template.slug, template.content_hash, box.width(), box.height(), dpr)


def card_icon(image: QImage | None, template: Template, box: QSize, dpr: float) -> QIcon:
    """A thumbnail centred in a box of the same size for every template (names line up under
    them), with a hairline edge: pale cards would melt into the list otherwise. Before the
    front is drawn, a pale card of the right shape stands in."""
    pixmap = QPixmap(box * dpr)
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    fmt = template.format
    if image is not None:
        size = QSize(round(image.width() / dpr), round(image.height() / dpr))
    else:
        scale = min(box.width() / fmt.width, box.height() / fmt.height)
        size = QSize(round(fmt.width * scale), round(fmt.height * scale))
    rect = QRectF((box.width() - size.width()) / 2, box.height() - size.height(), size.width(), size.height())
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    if image is not None:
        painter.fillRect(rect, Qt.GlobalColor.white)  # the paper under what is printed
        painter.drawImage(rect, image)
    else:
        painter.fillRect(rect, QColor("#eef0f3"))
    painter.setPen(QPen(QColor(0, 0, 0, 40), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)  # a card keeps its own colours when chosen (no tint)
    return icon


class _TemplateList(QListView):
    """Return (or Enter) on a template: go on to the next step."""

    chosen = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.chosen.emit()
            return
        super().keyPressEvent(event)


class TemplateGallery(QWidget):
    template_picked = Signal(str)   # the rep moved to (or clicked) a template
    chosen = Signal()               # Return on a template: the rep is done choosing
    thumbnails_ready = Signal()

    def __init__(self, templates: dict[str, Template], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.templates = templates
        self._setting_current = False
        self._waiting = 0

        self.occasion = QComboBox()
        self.occasion.setAccessibleName("Occasion")
        self.occasion.setToolTip("Show the templates for one occasion")
        self.occasion.addItem(f"All occasions ({len(templates)})", ALL_OCCASIONS)
        counts: dict[str, int] = {}
        for template in templates.values():
            counts[template.occasion] = counts.get(template.occasion, 0) + 1
        for occasion in sorted(counts, key=occasion_title):
            self.occasion.addItem(f"{occasion_title(occasion)} ({counts[occasion]})", occasion)
        self.occasion.currentIndexChanged.connect(self._filter)

        self.model = QStandardItemModel(self)
        for template in templates.values():
            item = QStandardItem(template.name)
            item.setEditable(False)
            item.setData(template.slug, SLUG_ROLE)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            item.setData(template.occasion, OCCASION_ROLE)
            item.setToolTip(f"<b>{escape(template.name)}</b><br>{occasion_title(template.occasion)} · "
                            f"{escape(template.format.title)}<p>{escape(template.description)}</p>")
            item.setData(f"{template.name}, {occasion_title(template.occasion)}, {template.format.title}",
                         Qt.ItemDataRole.AccessibleTextRole)
            self.model.appendRow(item)

        self.list = _TemplateList()
        self.list.setAccessibleName("Templates")
        self.list.setModel(self.model)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)  # one row of cards: the preview keeps the height
        self.list.setWordWrap(True)
        self.list.setIconSize(THUMB_BOX)
        line = self.list.fontMetrics().lineSpacing()
        cell = QSize(THUMB_BOX.width() + 40, THUMB_BOX.height() + 2 * line + 14)
        self.list.setGridSize(cell)
        for row in range(self.model.rowCount()):  # room for a two-line name under each card
            self.model.item(row).setSizeHint(QSize(cell.width() - 4, cell.height() - 4))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.clicked.connect(lambda index: self._pick(index))
        self.list.chosen.connect(self.chosen)
        self.list.doubleClicked.connect(lambda _index: self.chosen.emit())
        scroll_bar = self.list.style().pixelMetric(self.list.style().PixelMetric.PM_ScrollBarExtent)
        self.list.setFixedHeight(cell.height() + scroll_bar + 2 * self.list.frameWidth() + 6)

        self.heading = QLabel("&Template")
        self.heading.setBuddy(self.list)
        self.heading.setObjectName("sectionHeading")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.description.setAccessibleName("Template description")
        palette = self.description.palette()
        palette.setColor(palette.ColorRole.WindowText, QColor("#5b616b"))
        self.description.setPalette(palette)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(self.heading)
        side.addWidget(self.occasion)
        side.addWidget(self.description, 1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side.setContentsMargins(0, 0, 0, 0)
        side_widget.setFixedWidth(220)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(side_widget)
        layout.addWidget(self.list, 1)
        self._show_placeholders()

    @property
    def thumbnails_pending(self) -> int:
        """Fronts still being drawn."""
        return self._waiting

    @property
    def first_control(self) -> QWidget:
        return self.occasion

    @property
    def last_control(self) -> QWidget:
        return self.list

    # -- which template ---------------------------------------------------------------------
    def current_slug(self) -> str:
        index = self.list.currentIndex()
        return index.data(SLUG_ROLE) if index.isValid() else ""

    def set_current(self, slug: str) -> None:
        """Show ``slug`` as the card's template (without picking it again)."""
        for row in range(self.model.rowCount()):
            if self.model.item(row).data(SLUG_ROLE) == slug:
                self._setting_current = True
                try:
                    index = self.model.index(row, 0)
                    self.list.setCurrentIndex(index)
                    self.list.scrollTo(index)
                finally:
                    self._setting_current = False
                return

    def select_slug(self, slug: str) -> None:
        """Pick a template as a rep would (tests, and the keyboard's path)."""
        for row in range(self.model.rowCount()):
            if self.model.item(row).data(SLUG_ROLE) == slug:
                self.list.setCurrentIndex(self.model.index(row, 0))
                return

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        template = self.templates.get(current.data(SLUG_ROLE)) if current.isValid() else None
        self.description.setText(f"<b>{escape(template.name)}</b><br>{escape(template.format.title)}. "
                                 f"{escape(template.description)}" if template else "")
        if not self._setting_current:
            self._pick(current)

    def _pick(self, index: QModelIndex) -> None:
        if index.isValid() and not self.list.isRowHidden(index.row()):
            self.template_picked.emit(index.data(SLUG_ROLE))

    def _filter(self) -> None:
        occasion = self.occasion.currentData()
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            self.list.setRowHidden(row, bool(occasion) and item.data(OCCASION_ROLE) != occasion)

    # -- thumbnails -------------------------------------------------------------------------
    def _show_placeholders(self) -> None:
        dpr = self.devicePixelRatioF()
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            template = self.templates[item.data(SLUG_ROLE)]
            item.setIcon(card_icon(_thumbnails.get(_cache_key(template, THUMB_BOX, dpr)), template, THUMB_BOX, dpr))

    def load_thumbnails(self) -> None:
        """Draw the fronts not drawn yet this session, one task each (each shows when ready)."""
        dpr = self.devicePixelRatioF()
        for row in range(self.model.rowCount()):
            template = self.templates[self.model.item(row).data(SLUG_ROLE)]
            key = _cache_key(template, THUMB_BOX, dpr)
            if key in _thumbnails:
                continue
            self._waiting += 1
            run_task(lambda _control, t=template: render_front(t, THUMB_BOX, dpr),
                     on_done=lambda image, r=row, k=key, t=template: self._thumbnail(r, k, t, image),
                     on_error=lambda _error, r=row: self._thumbnail_failed(r),
                     context=self, pool=render_pool())
        if not self._waiting:
            self.thumbnails_ready.emit()

    def _thumbnail(self, row: int, key, template: Template, image: QImage) -> None:
        _thumbnails[key] = image
        self.model.item(row).setIcon(card_icon(image, template, THUMB_BOX, key[-1]))
        self._one_done()

    def _thumbnail_failed(self, row: int) -> None:
        # A template whose front cannot be drawn keeps its placeholder; its preview says why.
        self._one_done()

    def _one_done(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self.thumbnails_ready.emit()
