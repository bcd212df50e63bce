"""Make the app icons from their SVG masters: run ``python scripts/make_icons.py`` after
editing ``assets/icons/cardsender.svg`` (or the small-size master), and commit what it writes.

Written (all under assets/icons/):
  cardsender.png                      256 px: the window icon's largest size, and build.spec's
  cardsender.ico                      Windows: 16, 24, 32, 48, 64, 128 and 256 px
  cardsender.icns                     macOS: 16 to 1024 px (the Retina sizes included)
  hicolor/<n>x<n>/apps/cardsender.png Linux: the freedesktop icon theme's sizes, to copy into
                                      /usr/share/icons/hicolor/ (cardsender.svg goes to scalable/apps/)

Sizes up to SMALL_MAX px are drawn from ``cardsender-small.svg``: the same picture with fewer,
bolder parts, because at 16 px the master's handwriting and folds turn into grey mud.

Qt's own SVG renderer draws the masters (scripts/ is outside the package, so Qt is allowed here;
the pinned PySide6 keeps the output the same from run to run); Pillow writes the files.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed

from PIL import Image  # noqa: E402  (after the platform is chosen)
from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "assets" / "icons"
MASTER = ICONS / "cardsender.svg"
SMALL_MASTER = ICONS / "cardsender-small.svg"
SMALL_MAX = 32

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 96, 128, 256, 512)
PNG_SIZE = 256


def render(size: int) -> Image.Image:
    """The icon at ``size`` x ``size`` pixels, as an RGBA Pillow image."""
    master = SMALL_MASTER if size <= SMALL_MAX else MASTER
    renderer = QSvgRenderer(str(master))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {master} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def save_png(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", optimize=True)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841  (QPainter wants one)
    sizes = sorted({*ICO_SIZES, *ICNS_SIZES, *HICOLOR_SIZES, PNG_SIZE})
    images = {size: render(size) for size in sizes}
    written = []

    save_png(images[PNG_SIZE], ICONS / "cardsender.png")
    written.append(ICONS / "cardsender.png")
    for size in HICOLOR_SIZES:
        path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "cardsender.png"
        save_png(images[size], path)
        written.append(path)

    # Each size drawn for itself (append_images), not Pillow's downscale of the largest.
    largest = max(ICO_SIZES)
    images[largest].save(ICONS / "cardsender.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                         append_images=[images[s] for s in ICO_SIZES if s != largest])
    written.append(ICONS / "cardsender.ico")
    largest = max(ICNS_SIZES)
    images[largest].save(ICONS / "cardsender.icns", format="ICNS",
                         append_images=[images[s] for s in ICNS_SIZES if s != largest])
    written.append(ICONS / "cardsender.icns")

    root = ICONS.parent.parent
    for path in written:
        print(f"{path.relative_to(root)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
