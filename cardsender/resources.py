"""The one place that knows where the shipped data files (assets/) are.

Installed from a wheel the assets sit inside the package as ``cardsender/assets``; in a source
checkout or an editable install they are the top-level ``assets/`` folder beside the package.
The frozen app (build.spec) places them at ``cardsender/assets`` inside the bundle, and
PyInstaller's importer answers ``files("cardsender")`` with that folder (``sys._MEIPASS/cardsender``),
so the frozen case takes the first branch below and needs no code of its own. Should it ever
need some, it belongs here and nowhere else.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def assets_dir() -> Path:
    packaged = Path(str(files("cardsender"))) / "assets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "assets"


def asset_path(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)
