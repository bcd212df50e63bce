"""Envelopes (and, with the mailroom, paper stocks and label sheets): ``assets/stocks.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from cardsender.resources import asset_path
from cardsender.templates import INCH, MM, TemplateError


@dataclass(frozen=True)
class Envelope:
    key: str
    title: str
    width: float   # points, the long side (an envelope prints landscape)
    height: float


def load_envelopes(path: Path | None = None) -> dict[str, Envelope]:
    path = path or asset_path("stocks.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TemplateError(f"{path}: cannot be read ({error})") from None
    envelopes = {}
    for key, spec in data.get("envelopes", {}).items():
        if "size" in spec:
            width, height = (float(v) * INCH for v in spec["size"])
        elif "size_mm" in spec:
            width, height = (float(v) * MM for v in spec["size_mm"])
        else:
            raise TemplateError(f"{path}: [envelopes.{key}] needs size (inches) or size_mm")
        envelopes[key] = Envelope(key, str(spec.get("title", key)), max(width, height), min(width, height))
    return envelopes
