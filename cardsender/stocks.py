"""Paper stocks, envelopes and label sheets: ``assets/stocks.toml`` (data, like the formats)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from cardsender.resources import asset_path
from cardsender.templates import INCH, MM, CardFormat, TemplateError


@dataclass(frozen=True)
class Envelope:
    key: str
    title: str
    width: float   # points, the long side (an envelope prints landscape)
    height: float


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    width: float
    height: float
    formats: tuple[str, ...]
    precut: bool
    flip: str
    slots: tuple[tuple[float, float], ...] = ()  # precut: top-left corners, points from the top-left
    margin: float = 0.0
    gap: float = 0.0

    def positions(self, fmt: CardFormat) -> list[tuple[float, float]]:
        """Bottom-left corner of each flat card's trim on the sheet's front, in points from the
        sheet's bottom-left corner (reportlab's way)."""
        flat_w = fmt.width * len(fmt.spreads[0])
        if self.precut:
            return [(x, self.height - y - fmt.height) for x, y in self.slots]
        cell_w, cell_h = flat_w + self.gap, fmt.height + self.gap
        columns = int((self.width - 2 * self.margin + self.gap + 1e-6) // cell_w)
        rows = int((self.height - 2 * self.margin + self.gap + 1e-6) // cell_h)
        if columns < 1 or rows < 1:
            return []
        left = (self.width - (columns * cell_w - self.gap)) / 2
        top = (self.height + (rows * cell_h - self.gap)) / 2
        return [(left + c * cell_w, top - (r + 1) * cell_h + self.gap) for r in range(rows) for c in range(columns)]

    def for_format(self, fmt: CardFormat) -> Sheet:
        """The sheet turned the way that holds the most cards of this format (a landscape page
        for a flat A2 card on letter paper); precut stock stays as it is fed."""
        if self.precut:
            return self
        turned = replace(self, width=self.height, height=self.width)
        return turned if len(turned.positions(fmt)) > len(self.positions(fmt)) else self

    def back_position(self, x: float, y: float, fmt: CardFormat) -> tuple[float, float, bool]:
        """Where a card's other side goes on the sheet's back, and whether it turns 180 degrees:
        turned on the long edge of a portrait sheet, left and right swap; on the short edge, top
        and bottom swap and the content turns round."""
        flat_w = fmt.width * len(fmt.spreads[0])
        long_edge_vertical = self.height >= self.width
        if (self.flip == "long") == long_edge_vertical:
            return self.width - x - flat_w, y, False
        return x, self.height - y - fmt.height, True


@dataclass(frozen=True)
class LabelSheet:
    key: str
    title: str
    width: float
    height: float
    label_width: float
    label_height: float
    columns: int
    rows: int
    first: tuple[float, float]  # top-left of the first label, from the sheet's top-left
    pitch: tuple[float, float]

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def label_origin(self, index: int) -> tuple[float, float]:
        """Bottom-left corner of label ``index`` (row by row), from the sheet's bottom-left."""
        row, column = divmod(index % self.per_sheet, self.columns)
        x = self.first[0] + column * self.pitch[0]
        top = self.height - self.first[1] - row * self.pitch[1]
        return x, top - self.label_height


def _length_pair(spec: dict, key: str, where: str) -> tuple[float, float] | None:
    if key in spec:
        return tuple(float(v) * INCH for v in spec[key])
    if f"{key}_mm" in spec:
        return tuple(float(v) * MM for v in spec[f"{key}_mm"])
    return None


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TemplateError(f"{path}: cannot be read ({error})") from None


def _required_pair(spec: dict, key: str, where: str) -> tuple[float, float]:
    pair = _length_pair(spec, key, where)
    if pair is None or len(pair) != 2:
        raise TemplateError(f"{where}: {key} (inches) or {key}_mm is missing")
    return pair


def load_envelopes(path: Path | None = None) -> dict[str, Envelope]:
    path = path or asset_path("stocks.toml")
    envelopes = {}
    for key, spec in _load(path).get("envelopes", {}).items():
        width, height = _required_pair(spec, "size", f"{path}: [envelopes.{key}]")
        envelopes[key] = Envelope(key, str(spec.get("title", key)), max(width, height), min(width, height))
    return envelopes


def load_sheets(path: Path | None = None) -> dict[str, Sheet]:
    path = path or asset_path("stocks.toml")
    sheets = {}
    for key, spec in _load(path).get("sheets", {}).items():
        where = f"{path}: [sheets.{key}]"
        width, height = _required_pair(spec, "paper", where)
        slots = spec.get("slots")
        if slots is not None:
            slots = tuple((float(x) * INCH, float(y) * INCH) for x, y in slots)
        elif "slots_mm" in spec:
            slots = tuple((float(x) * MM, float(y) * MM) for x, y in spec["slots_mm"])
        precut = bool(spec.get("precut", False))
        if precut and not slots:
            raise TemplateError(f"{where}: a precut stock needs slots")
        flip = spec.get("flip", "long")
        if flip not in ("long", "short"):
            raise TemplateError(f"{where}: flip must be long or short")
        sheets[key] = Sheet(key, str(spec.get("title", key)), width, height, tuple(spec.get("formats", ())),
                            precut, flip, slots or (), float(spec.get("margin", 0.5)) * INCH,
                            float(spec.get("gap", 0.5)) * INCH)
    return sheets


def load_label_sheets(path: Path | None = None) -> dict[str, LabelSheet]:
    path = path or asset_path("stocks.toml")
    labels = {}
    for key, spec in _load(path).get("labels", {}).items():
        where = f"{path}: [labels.{key}]"
        width, height = _required_pair(spec, "paper", where)
        label_w, label_h = _required_pair(spec, "label", where)
        labels[key] = LabelSheet(key, str(spec.get("title", key)), width, height, label_w, label_h,
                                 int(spec["columns"]), int(spec["rows"]), _required_pair(spec, "first", where),
                                 _required_pair(spec, "pitch", where))
    return labels
