"""The Teams app package: `teams/manifest.json` with the bot id filled in,
plus the two icons, zipped the way the Teams Developer Portal and
"Upload a custom app" expect (the three files at the zip's root).

The icons are drawn here with Pillow (matplotlib depends on it), so the repo
carries no binary it could not rebuild: `color.png` 192×192 in Tandem's
colours, `outline.png` 32×32 white on transparent as Teams requires.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw

TEAMS_DIR = Path(__file__).resolve().parents[2] / "teams"
PLACEHOLDER = "${{TEAMS_APP_ID}}"
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
COLOR = (70, 71, 117, 255)  # Teams' purple, so the icon sits well in the app bar
WHITE = (255, 255, 255, 255)


class PackageError(Exception):
    """The package can't be built as configured (missing or malformed app id)."""


def color_icon(size: int = 192) -> bytes:
    """Two overlapping rounded squares (two teams in tandem) on a full-colour tile."""
    image = Image.new("RGBA", (size, size), COLOR)
    draw = ImageDraw.Draw(image)
    unit = size / 8
    draw.rounded_rectangle((unit * 1.5, unit * 1.5, unit * 4.9, unit * 4.9), radius=unit * 0.6, outline=WHITE,
                           width=max(2, size // 24))
    draw.rounded_rectangle((unit * 3.1, unit * 3.1, unit * 6.5, unit * 6.5), radius=unit * 0.6, fill=WHITE)
    return _png(image)


def outline_icon(size: int = 32) -> bytes:
    """The same mark, white on transparent."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((3, 3, 18, 18), radius=3, outline=WHITE, width=2)
    draw.rounded_rectangle((13, 13, 28, 28), radius=3, fill=WHITE)
    return _png(image)


def manifest(app_id: str, *, template: Path | None = None, domains: tuple[str, ...] = ()) -> dict:  # type: ignore[type-arg]
    """The manifest with `app_id` as the app id and the bot id.

    Raises:
        PackageError: `app_id` is not the GUID Azure gave the bot.
    """
    if not GUID.match(app_id or ""):
        raise PackageError("TEAMS_APP_ID must be the bot's Microsoft App ID, a GUID like "
                           "00000000-0000-0000-0000-000000000000.")
    text = (template or TEAMS_DIR / "manifest.json").read_text(encoding="utf-8")
    data = json.loads(text.replace(PLACEHOLDER, app_id.lower()))
    if domains:
        data["validDomains"] = sorted({*data.get("validDomains", []), *domains})
    return data


def write_zip(out: Path, app_id: str, *, template: Path | None = None, domains: tuple[str, ...] = ()) -> Path:
    """Write the uploadable package to `out` and return it."""
    data = manifest(app_id, template=template, domains=domains)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        archive.writestr(data["icons"]["color"], color_icon())
        archive.writestr(data["icons"]["outline"], outline_icon())
    return out


def write_icons(directory: Path = TEAMS_DIR) -> None:
    """Refresh `teams/color.png` and `teams/outline.png` (kept in the repo for
    people who build the package by hand)."""
    (directory / "color.png").write_bytes(color_icon())
    (directory / "outline.png").write_bytes(outline_icon())


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


if __name__ == "__main__":
    write_icons()
