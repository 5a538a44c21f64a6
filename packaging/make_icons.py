"""Draw the application icon (PNG, Windows .ico, macOS .icns) with Pillow.

Run once when the design changes; the results are committed beside this script so a build needs
no drawing step: `python3 packaging/make_icons.py`.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "resources" / "fonts" / "DejaVuSans-Bold.ttf"
SIZE = 1024
NAVY = (24, 52, 92, 255)
TEAL = (0, 150, 136, 255)
WHITE = (255, 255, 255, 255)


def draw(size: int = SIZE) -> Image.Image:
    """A rounded navy tile with a house outline and "ASB" under its roof."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = size / 16
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=int(3 * unit), fill=NAVY)
    roof = [(2 * unit, 7.5 * unit), (8 * unit, 2.2 * unit), (14 * unit, 7.5 * unit)]
    pen.line(roof, fill=TEAL, width=int(1.1 * unit), joint="curve")
    pen.rectangle((3.4 * unit, 7.4 * unit, 12.6 * unit, 13.6 * unit), fill=WHITE)
    font = ImageFont.truetype(str(FONT), int(3.6 * unit))
    pen.text((8 * unit, 10.6 * unit), "ASB", fill=NAVY, font=font, anchor="mm")
    return image


def main() -> None:
    out = HERE / "icons"
    out.mkdir(exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(out / "asb-desktop.png")
    big.save(out / "asb-desktop.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (256, 256)])
    big.save(out / "asb-desktop.icns")
    print(f"icons written to {out}")


if __name__ == "__main__":
    main()
