#!/usr/bin/python3
"""Render `tmux capture-pane -e -p` output to a PNG, as a terminal would show it.

Usage: render-screen.py CAPTURE.txt OUT.png COLUMNS ROWS [dark|light]

The capture is replayed through pyte (a VT100 emulator) into a grid of cells,
then every cell is painted with Pillow: DejaVu Sans Mono for text, Noto Sans
CJK for wide characters when installed, and box-drawing lines drawn as lines
so that frames join without gaps. Dim text (SGR 2, which pyte does not keep)
is carried through pyte as italics (which Folio's themes never use) and
painted halfway to the background.
"""
import os
import re
import sys
import unicodedata

import pyte
from PIL import Image, ImageDraw, ImageFont

FONT_SIZE = 15
PAD = 14
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
CJK_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
]

# xterm's 16 colours; 16-255 follow the standard 6x6x6 cube and grey ramp.
ANSI = ["000000", "cd0000", "00cd00", "cdcd00", "0000ee", "cd00cd", "00cdcd", "e5e5e5",
        "7f7f7f", "ff0000", "00ff00", "ffff00", "5c5cff", "ff00ff", "00ffff", "ffffff"]
NAMES = ["black", "red", "green", "brown", "blue", "magenta", "cyan", "white"]
PALETTES = {"dark": ("d0d0d0", "1c1c1c"), "light": ("202020", "fafafa")}


def sgr_dim_as_italics(text):
    """Rewrite SGR 2/22 (dim on/off) as 3/23 (italics), which pyte keeps."""
    def fix(match):
        params = match.group(1).split(";") if match.group(1) else []
        out, i = [], 0
        while i < len(params):
            p = params[i]
            if p in ("38", "48") and i + 1 < len(params):
                take = 3 if params[i + 1] == "5" else 5
                out.extend(params[i:i + take])
                i += take
                continue
            if p not in ("3", "23"):  # real italics are dropped
                out.append({"2": "3", "22": "23"}.get(p, p))
            i += 1
        return "\x1b[" + ";".join(out) + "m" if out or not params else ""
    return re.sub(r"\x1b\[([0-9;]*)m", fix, text)


def rgb(value, default):
    if value == "default":
        return default
    if value in NAMES:
        return ANSI[NAMES.index(value)]
    if value.startswith("bright"):
        name = value[len("bright"):]
        return ANSI[8 + NAMES.index(name)] if name in NAMES else default
    if re.fullmatch(r"[0-9a-fA-F]{6}", value):
        return value
    return default


def hexcolour(h):
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def box_lines(draw, ch, x, y, w, h, colour):
    """Draws ─│┌┐└┘├┤┬┴┼ through the cell's middle; returns False for others."""
    arms = {"─": "lr", "│": "ud", "┌": "rd", "┐": "ld", "└": "ru", "┘": "lu",
            "├": "udr", "┤": "udl", "┬": "lrd", "┴": "lru", "┼": "lrud"}.get(ch)
    if arms is None:
        return False
    cx, cy = x + w // 2, y + h // 2
    if "l" in arms:
        draw.line([(x, cy), (cx, cy)], fill=colour)
    if "r" in arms:
        draw.line([(cx, cy), (x + w, cy)], fill=colour)
    if "u" in arms:
        draw.line([(cx, y), (cx, cy)], fill=colour)
    if "d" in arms:
        draw.line([(cx, cy), (cx, y + h)], fill=colour)
    return True


def main():
    capture, out, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    fg_default, bg_default = (hexcolour(c) for c in PALETTES[sys.argv[5] if len(sys.argv) > 5 else "dark"])
    with open(capture, encoding="utf-8") as f:
        text = f.read()

    screen = pyte.Screen(cols, rows)
    stream = pyte.Stream(screen)
    # capture-pane ends every line with \n alone: a terminal needs \r too, and
    # a newline after the last row would scroll the first one away.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    stream.feed("\r\n".join(sgr_dim_as_italics(line) for line in lines[:rows]))

    regular = ImageFont.truetype(DEJAVU, FONT_SIZE)
    bold = ImageFont.truetype(DEJAVU_BOLD, FONT_SIZE)
    cjk_path = next((p for p in CJK_CANDIDATES if os.path.exists(p)), None)
    cjk = ImageFont.truetype(cjk_path, FONT_SIZE) if cjk_path else regular
    ascent, descent = regular.getmetrics()
    cw, ch = round(regular.getlength("M")), ascent + descent

    image = Image.new("RGB", (cols * cw + 2 * PAD, rows * ch + 2 * PAD), bg_default)
    draw = ImageDraw.Draw(image)
    for y in range(rows):
        line = screen.buffer[y]
        x = 0
        while x < cols:
            cell = line[x]
            wide = cell.data and unicodedata.east_asian_width(cell.data[0]) in "WF"
            span = 2 if wide else 1
            fg = hexcolour(rgb(cell.fg, "%02x%02x%02x" % fg_default))
            bg = hexcolour(rgb(cell.bg, "%02x%02x%02x" % bg_default))
            if cell.reverse:
                fg, bg = bg, fg
            if cell.italics:  # dim
                fg = mix(fg, bg, 0.45)
            px, py = PAD + x * cw, PAD + y * ch
            draw.rectangle([px, py, px + span * cw - 1, py + ch - 1], fill=bg)
            if cell.data and cell.data != " " and not box_lines(draw, cell.data, px, py, cw, ch, fg):
                font = cjk if wide else (bold if cell.bold else regular)
                draw.text((px, py + (ascent - font.getmetrics()[0]) if wide else py), cell.data, font=font, fill=fg)
            if cell.underscore:
                draw.line([(px, py + ascent + 1), (px + span * cw - 1, py + ascent + 1)], fill=fg)
            x += span
    # Few colours on screen: a palette image is a third of the size and looks the same.
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)


if __name__ == "__main__":
    main()
