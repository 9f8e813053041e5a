"""Colours every reader can tell apart, whatever their colour vision.

Okabe & Ito's eight colours (Color Universal Design, 2008) for lines and
marks; matplotlib's `cividis` (designed for deuteranopia and protanopia,
and monotonic in lightness, so it survives greyscale) for amounts.
"""

from __future__ import annotations

OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
AMOUNTS = "cividis"
EMPTY = "#F2F2F2"  # a cell or week with nothing in it
SILENT = "#555555"  # the hatch over pairs silent for weeks
HIGHLIGHT = OKABE_ITO["vermillion"]
LINES = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["bluish green"], OKABE_ITO["reddish purple"],
         OKABE_ITO["vermillion"])
