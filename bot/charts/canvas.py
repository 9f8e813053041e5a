"""A drawn figure as PNG bytes, and shrinking a PNG to fit a size budget
(a Teams card must stay under about 28 KB, pictures included)."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.messages import Image

DPI = 100
COMPACT_DPI = 66  # two thirds the size: still legible at Teams' card width, a fraction of the bytes


@dataclass(frozen=True)
class Chart:
    """One picture: a title, its PNG and the words that say what it shows."""

    title: str
    alt: str
    png: bytes
    name: str  # a file name without extension: "team-map-2026-W47"
    compact: bytes | None = None  # the same picture smaller, for size-limited cards

    def as_image(self) -> Image:
        return Image(title=self.title, png_base64=base64.b64encode(self.png).decode(), alt=self.alt,
                     name=self.name,
                     compact_base64=base64.b64encode(self.compact).decode() if self.compact else None)


def png_of(figure: Figure, *, dpi: int = DPI) -> bytes:
    """Render `figure` on the Agg canvas (no pyplot, no display) as PNG bytes."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def compact_png_of(figure: Figure) -> bytes:
    """`figure` drawn smaller (redrawn, not scaled down, so its text stays
    crisp) and in few colours: a picture for a card with a size limit."""
    return _fewer_colours(png_of(figure, dpi=COMPACT_DPI), colours=32)


def _fewer_colours(png: bytes, *, colours: int) -> bytes:
    from PIL import Image as Picture

    buffer = io.BytesIO()
    Picture.open(io.BytesIO(png)).convert("RGB").quantize(colors=colours, method=Picture.Quantize.FASTOCTREE) \
        .save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def shrink(png: bytes, *, max_bytes: int, min_width: int = 480) -> bytes | None:
    """`png` made to fit `max_bytes`: first fewer colours (charts have few),
    then smaller, never narrower than `min_width`. None if it can't fit."""
    if len(png) <= max_bytes:
        return png
    from PIL import Image as Picture

    original = Picture.open(io.BytesIO(png)).convert("RGB")
    width, height = original.size
    while width >= min_width:
        picture = original if width == original.size[0] else original.resize(
            (width, round(height * width / original.size[0])), Picture.Resampling.LANCZOS)
        for colours in (64, 32, 16):
            buffer = io.BytesIO()
            picture.quantize(colors=colours, method=Picture.Quantize.FASTOCTREE).save(buffer, format="PNG",
                                                                                     optimize=True)
            if buffer.tell() <= max_bytes:
                return buffer.getvalue()
        width = int(width * 0.8)
    return None
