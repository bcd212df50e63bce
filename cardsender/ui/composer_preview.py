"""The composer's live preview: the card's proof, drawn by the one renderer on a worker and
shown as QtPdf rasterizes it, so the picture on screen is the page that prints.

A note change, a template or address change, a view change or a resize asks for a render.
Requests are debounced: a keystroke after a quiet spell renders at once, keystrokes in a burst
wait 80 ms for the next (and never more than 160 ms in all while the rep keeps typing). One
render runs at a time, and when it ends the newest request still waiting starts at once; a
result older than the one on screen is dropped. The rendering (reportlab, then QtPdf) happens
on one dedicated worker thread shared with the gallery's thumbnails: reportlab keeps
per-process caches, and one thread keeps them uncontended.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRect, QRectF, QSize, QSizeF, Qt, QThreadPool, QTimer, Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtWidgets import (
    QButtonGroup, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from cardsender.cards import PreviewInputs, render_preview
from cardsender.render.proof import MARGIN
from cardsender.templates import INCH, Template
from cardsender.ui.tasks import TaskControl, run_task

log = logging.getLogger(__name__)

DEBOUNCE_MS = 80     # after the last keystroke...
MAX_WAIT_MS = 160    # ...but a rep typing on never waits longer than this for a render to start

_render_pool: QThreadPool | None = None


def render_pool() -> QThreadPool:
    """The composer's one rendering thread (previews and thumbnails)."""
    global _render_pool
    if _render_pool is None:
        _render_pool = QThreadPool()
        _render_pool.setMaxThreadCount(1)
        _render_pool.setExpiryTimeout(-1)  # keep the thread: starting one costs more than a render
    return _render_pool


# -- what each view shows ---------------------------------------------------------------------
@dataclass(frozen=True)
class PreviewView:
    key: str                       # "outside", "inside", "envelope", "front", "address"
    title: str                     # the button's text
    page: int                      # the proof's page
    panels: tuple[str, ...] = ()   # the panels left to right, captioned under the picture
    trimmed: bool = True           # a card page is shown at its trim; an envelope page whole


def views_for(template: Template, has_envelope: bool) -> tuple[PreviewView, ...]:
    """A folded card: Outside, Inside (and Envelope); a postcard: Front, Address side."""
    if template.format.folded:
        views = [PreviewView("outside", "Outside", 0, ("Back", "Front")),
                 PreviewView("inside", "Inside", 1, ("Inside left", "Inside right"))]
        if has_envelope:
            views.append(PreviewView("envelope", "Envelope", 2, (), trimmed=False))
        return tuple(views)
    return (PreviewView("front", "Front", 0, ("Front",)), PreviewView("address", "Address side", 1, ("Address side",)))


def note_view(template: Template) -> str:
    return "inside" if template.format.folded else "address"


def design_view(template: Template) -> str:
    return "outside" if template.format.folded else "front"


def address_view(template: Template, has_envelope: bool) -> str:
    """Where the recipient's address shows: the envelope, or a postcard's address side."""
    if not template.format.folded:
        return "address"
    return "envelope" if has_envelope else "outside"


# -- the worker's side ------------------------------------------------------------------------
def load_pdf(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    """A QtPdf document over PDF bytes (the buffer must live as long as the document)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise RuntimeError(f"QtPdf could not read the preview ({document.error().name})")
    return document, buffer


def render_region(document: QPdfDocument, page: int, region: QRectF | None, box: QSize, dpr: float) -> QImage:
    """``region`` of a page (points from its top-left corner; None: the whole page), as large
    as fits ``box`` (logical pixels), rendered at the screen's device pixel ratio."""
    page_size = document.pagePointSize(page)
    region = region or QRectF(QPointF(0, 0), page_size)
    scale = min(box.width() / region.width(), box.height() / region.height()) * dpr
    scaled_page = QSize(round(page_size.width() * scale), round(page_size.height() * scale))
    clip = QRect(round(region.x() * scale), round(region.y() * scale),
                 max(1, round(region.width() * scale)), max(1, round(region.height() * scale)))
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(scaled_page)
    options.setScaledClipRect(clip)
    image = document.render(page, clip.size(), options)
    image.setDevicePixelRatio(dpr)
    return image


def trim_region(template: Template) -> QRectF:
    """Where a proof page's trimmed card is: inside the proof's margin for crop marks."""
    fmt = template.format
    return QRectF(MARGIN, MARGIN, fmt.width * len(fmt.spreads[0]), fmt.height)


@dataclass(frozen=True)
class PreviewJob:
    version: int
    inputs: PreviewInputs
    note: str
    view: PreviewView
    box: QSize
    dpr: float


@dataclass
class PreviewOutcome:
    version: int
    note: str
    view: str
    image: QImage | None = None
    pdf: bytes | None = None
    fit: str = ""                         # "fits at 14 pt"
    problem: BaseException | None = None  # why the card cannot print as it stands
    render_ms: float = 0.0
    inputs: PreviewInputs | None = field(default=None, repr=False)


def render_job(job: PreviewJob) -> PreviewOutcome:
    """Draw the card (reportlab) and rasterize the view's page (QtPdf). A card that cannot
    print comes back as an outcome with its problem, not as an error."""
    started = time.perf_counter()
    outcome = PreviewOutcome(job.version, job.note, job.view.key, inputs=job.inputs)
    try:
        outcome.pdf, outcome.fit = render_preview(job.inputs, job.note)
    except Exception as problem:  # noqa: BLE001  (NoteDoesNotFit, FontError, MergeError, CardProblem, or a bug)
        outcome.problem = problem
        return outcome
    document, _buffer = load_pdf(outcome.pdf)
    try:
        page = min(job.view.page, document.pageCount() - 1)
        region = trim_region(job.inputs.template) if job.view.trimmed else None
        outcome.image = render_region(document, page, region, job.box, job.dpr)
    finally:
        document.close()
    outcome.render_ms = (time.perf_counter() - started) * 1000
    return outcome


# -- the picture ------------------------------------------------------------------------------
class PreviewCanvas(QWidget):
    """The card on a quiet grey table, with a soft shadow, the fold marked outside the card and
    each panel named underneath. When the latest text cannot print, the last good picture
    stays, washed out, under the reason."""

    painted = Signal(int)  # the version of the picture just painted (the latency bench waits for it)
    resized = Signal()

    PADDING = 28
    CAPTION = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 260)
        self.setAccessibleName("Card preview")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._image: QImage | None = None
        self._version = 0
        self._panels: tuple[str, ...] = ()
        self._folded = False
        self._message = ""

    def card_box(self) -> QSize:
        """The room (logical pixels) a card picture may take."""
        width = self.width() - 2 * self.PADDING
        height = self.height() - 2 * self.PADDING - self.CAPTION
        return QSize(max(64, width), max(64, height))

    def show_image(self, image: QImage, version: int, panels: tuple[str, ...], folded: bool) -> None:
        self._image, self._version, self._panels, self._folded = image, version, panels, folded
        self._message = ""
        self.setAccessibleDescription(f"{', '.join(panels) or 'Envelope'} of the card as it will print")
        self.update()

    def show_problem(self, message: str) -> None:
        self._message = message
        self.update()

    @property
    def message(self) -> str:
        return self._message

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.resized.emit()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:  # moved to a screen of another density
            self.resized.emit()
        return super().event(event)

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), QColor("#e4e6ea"))
        image = self._image
        target = QRectF()
        if image is not None:
            logical = QSizeF(image.width() / image.devicePixelRatio(), image.height() / image.devicePixelRatio())
            box = self.card_box()
            # After a resize and before the new render arrives, the old picture is scaled to fit.
            scale = min(1.0, box.width() / logical.width(), box.height() / logical.height())
            size = logical * scale
            top = self.PADDING + (box.height() - size.height()) / 2
            target = QRectF(QPointF((self.width() - size.width()) / 2, top), size)
            self._paint_shadow(painter, target)
            painter.fillRect(target, Qt.GlobalColor.white)  # the paper: QtPdf leaves unprinted parts clear
            painter.drawImage(target, image)
            self._paint_marks(painter, target)
        if self._message:
            self._paint_message(painter, target)
        painter.end()
        if image is not None and not self._message:
            self.painted.emit(self._version)

    def _paint_shadow(self, painter: QPainter, target: QRectF) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for spread, alpha in ((6, 10), (4, 16), (2, 26)):
            painter.setBrush(QColor(20, 30, 45, alpha))
            painter.drawRoundedRect(target.adjusted(-spread / 2, -spread / 4, spread / 2, spread), 3, 3)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_marks(self, painter: QPainter, target: QRectF) -> None:
        """The fold as short ticks above and below the card (never on it: the card is as it
        prints), and each panel's name under its half."""
        painter.setPen(QPen(QColor("#8a909a"), 1))
        count = len(self._panels)
        if self._folded and count == 2:
            x = target.center().x()
            painter.drawLine(QPointF(x, target.top() - 12), QPointF(x, target.top() - 4))
            painter.drawLine(QPointF(x, target.bottom() + 4), QPointF(x, target.bottom() + 10))
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        painter.setPen(QColor("#5b616b"))
        for index, name in enumerate(self._panels):
            width = target.width() / max(1, count)
            cell = QRectF(target.left() + index * width, target.bottom() + 10, width, self.CAPTION - 6)
            painter.drawText(cell, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, name)

    def _paint_message(self, painter: QPainter, target: QRectF) -> None:
        if not target.isEmpty():
            painter.fillRect(target, QColor(255, 255, 255, 170))
        metrics = painter.fontMetrics()
        width = min(self.width() - 2 * self.PADDING, 460)
        text_rect = metrics.boundingRect(QRect(0, 0, width - 32, 1000), Qt.TextFlag.TextWordWrap, self._message)
        banner = QRectF(0, 0, width, text_rect.height() + 24)
        banner.moveCenter(QPointF(self.width() / 2, self.height() / 2 - self.CAPTION / 2))
        path = QPainterPath()
        path.addRoundedRect(banner, 6, 6)
        painter.fillPath(path, QColor("#fff4f2"))
        painter.setPen(QPen(QColor("#d9a39b"), 1))
        painter.drawPath(path)
        painter.setPen(QColor("#8c1d12"))
        painter.drawText(banner.adjusted(16, 12, -16, -12), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                         self._message)


# -- the preview pane -------------------------------------------------------------------------
class LivePreview(QWidget):
    """View buttons over the picture, and the render requests behind it."""

    outcome = Signal(object)   # the newest PreviewOutcome (a picture, or why the card cannot print)
    shown = Signal(int)        # a picture of this version is on screen
    view_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preview")
        self._inputs: PreviewInputs | None = None
        self._note = ""
        self._views: tuple[PreviewView, ...] = ()
        self._view: PreviewView | None = None
        self.requested_version = 0     # the newest request
        self.outcome_version = 0       # the newest outcome handed on
        self.shown_version = 0         # the newest picture on screen
        self.shown_note = ""           # ...drawn with this note
        self.shown_pdf: bytes | None = None
        self.last_outcome: PreviewOutcome | None = None
        self._in_flight: TaskControl | None = None
        self._in_flight_version = 0
        self._first_waiting: float | None = None   # the oldest request not yet rendering
        self._last_request = 0.0

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_render)

        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        self.button_row = QHBoxLayout()
        self.button_row.setSpacing(0)
        self.caption = QLabel()
        self.caption.setObjectName("previewCaption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        palette = self.caption.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#5b616b"))
        self.caption.setPalette(palette)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addLayout(self.button_row)
        top.addStretch(1)
        top.addWidget(self.caption)

        self.canvas = PreviewCanvas()
        self.canvas.resized.connect(self._resized)
        self.canvas.painted.connect(self._painted)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)

    # -- what to show ---------------------------------------------------------------------------
    @property
    def view(self) -> str:
        return self._view.key if self._view else ""

    @property
    def views(self) -> tuple[PreviewView, ...]:
        return self._views

    def set_inputs(self, inputs: PreviewInputs, *, view: str | None = None) -> None:
        """A new template or recipient: the view buttons follow the card's format."""
        template = inputs.template
        views = views_for(template, inputs.envelope is not None)
        if [v.key for v in views] != [v.key for v in self._views]:
            self._make_buttons(views)
        self._inputs = inputs
        fmt = template.format
        size = f"{fmt.width / INCH:g} × {fmt.height / INCH:g} in" if fmt.key != "a6-folded" else "105 × 148 mm"
        self.caption.setText(f"{fmt.title}, {size}")
        wanted = view or (self._view.key if self._view else note_view(template))
        self._select(wanted if any(v.key == wanted for v in views) else note_view(template), request=False)
        self.request(at_once=True)

    def set_note(self, note: str) -> None:
        if note != self._note:
            self._note = note
            self.request()

    def set_view(self, key: str) -> None:
        if self._view is None or key != self._view.key:
            self._select(key)

    def set_view_number(self, number: int) -> None:
        """Ctrl+1, Ctrl+2, Ctrl+3: the views in their order."""
        if 1 <= number <= len(self._views):
            self.set_view(self._views[number - 1].key)

    def _make_buttons(self, views: tuple[PreviewView, ...]) -> None:
        for button in self.buttons.buttons():
            self.buttons.removeButton(button)
            self.button_row.removeWidget(button)
            button.deleteLater()
        self._views = views
        for number, view in enumerate(views, start=1):
            button = QPushButton(view.title)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setToolTip(f"Show the {view.title.lower()} (Ctrl+{number})")
            button.setAccessibleName(f"Preview: {view.title}")
            button.setProperty("view", view.key)
            button.clicked.connect(lambda _checked=False, key=view.key: self.set_view(key))
            self.buttons.addButton(button, number)
            self.button_row.addWidget(button)

    def _select(self, key: str, *, request: bool = True) -> None:
        view = next((v for v in self._views if v.key == key), None)
        if view is None:
            return
        changed = self._view != view
        self._view = view
        for button in self.buttons.buttons():
            button.setChecked(button.property("view") == key)
        if changed:
            self.view_changed.emit(key)
        if request and changed:
            self.request(at_once=True)

    # -- requests -------------------------------------------------------------------------------
    def request(self, *, at_once: bool = False) -> None:
        """Ask for a render of what is there now.

        A keystroke after a quiet spell (nothing asked for ``DEBOUNCE_MS``, nothing waiting or
        drawing) renders at once; keystrokes in a burst wait ``DEBOUNCE_MS`` for the next one,
        but at most ``MAX_WAIT_MS`` in all, so the preview keeps up with a rep typing on. A
        view, template or address change goes at once."""
        if self._inputs is None or self._view is None:
            return
        self.requested_version += 1
        now = time.perf_counter()
        quiet = (now - self._last_request) * 1000 >= DEBOUNCE_MS
        self._last_request = now
        if at_once or (quiet and not self._timer.isActive() and self._in_flight is None):
            self._timer.start(0)
            return
        if self._first_waiting is None:
            self._first_waiting = now
        waited_ms = (now - self._first_waiting) * 1000
        self._timer.start(int(max(0, min(DEBOUNCE_MS, MAX_WAIT_MS - waited_ms))))

    def _start_render(self) -> None:
        if self._in_flight is not None:
            return  # it starts again when the one running ends
        if self._inputs is None or self._view is None or self.requested_version <= self._in_flight_version:
            return
        self._first_waiting = None
        job = PreviewJob(self.requested_version, self._inputs, self._note, self._view,
                         self.canvas.card_box(), self.canvas.devicePixelRatioF())
        self._in_flight_version = job.version
        self._in_flight = run_task(lambda _control: render_job(job), self._rendered, self._failed,
                                   context=self, pool=render_pool())

    def _rendered(self, outcome: PreviewOutcome) -> None:
        self._in_flight = None
        if outcome.version > self.outcome_version:
            self.outcome_version = outcome.version
            self.last_outcome = outcome
            if outcome.image is not None:
                view = next((v for v in self._views if v.key == outcome.view), self._view)
                self.shown_note, self.shown_pdf = outcome.note, outcome.pdf
                self.canvas.show_image(outcome.image, outcome.version, view.panels if view else (),
                                       outcome.inputs.template.format.folded if outcome.inputs else False)
            self.outcome.emit(outcome)
        if self.requested_version > self._in_flight_version and not self._timer.isActive():
            self._start_render()

    def _failed(self, error: BaseException) -> None:
        """A bug in the drawing (a card that cannot print is an outcome, not an error)."""
        log.error("the preview could not be drawn", exc_info=error)
        self._rendered(PreviewOutcome(self._in_flight_version, self._note, self.view, problem=error))

    def show_problem(self, message: str) -> None:
        self.canvas.show_problem(message)

    def _painted(self, version: int) -> None:
        if version > self.shown_version:
            self.shown_version = version
            self.shown.emit(version)

    def _resized(self) -> None:
        image = self.canvas._image
        if image is None:
            self.request(at_once=True)
            return
        box, dpr = self.canvas.card_box(), self.canvas.devicePixelRatioF()
        logical = QSizeF(image.width() / image.devicePixelRatio(), image.height() / image.devicePixelRatio())
        scale = min(box.width() / logical.width(), box.height() / logical.height())
        if abs(scale - 1) > 0.01 or image.devicePixelRatio() != dpr:
            self.request()  # drawn afresh at the new size: scaled pixels would blur

    def abandon(self) -> None:
        self._timer.stop()
        if self._in_flight is not None:
            self._in_flight.abandon()
