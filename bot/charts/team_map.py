"""The team map: a team × team heatmap of one week, two panels (requests,
kudos), rows the asking or thanking team, columns the team asked or thanked.

Each cell shows its count; a pair that stayed empty for four weeks is
hatched (×), so a silo shows at a glance even in greyscale, and a team whose
whole row is hatched has its name marked on the axis.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from bot.charts.canvas import Chart, compact_png_of, png_of
from bot.charts.palette import AMOUNTS, EMPTY, HIGHLIGHT, SILENT
from bot.services.team_map import SILENT_WEEKS, Panel, TeamMap

HATCH = "xx"


def team_map_figure(team_map: TeamMap) -> Figure:
    """The map as a matplotlib figure (1100 × 520 px at 100 dpi; wider for many teams)."""
    size = len(team_map.teams)
    width = max(11.0, 4.0 + 1.1 * size)
    figure = Figure(figsize=(width, max(5.2, 2.4 + 0.45 * size)), layout="constrained")
    panels = figure.subplots(1, 2)
    for axes, panel in zip(panels, (team_map.requests, team_map.kudos), strict=True):
        _draw(axes, panel, team_map.teams)
    figure.suptitle(f"Team map, {team_map.week.label}: who asks and thanks whom", fontsize=14)
    figure.legend(handles=[Patch(facecolor="white", edgecolor=SILENT, hatch=HATCH,
                                 label=f"nothing for {SILENT_WEEKS} weeks")],
                  loc="outside lower center", fontsize=10, frameon=False)
    return figure


def _draw(axes, panel: Panel, teams: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    counts = np.array(panel.counts, dtype=float).reshape(len(teams), len(teams))
    colours = colormaps[AMOUNTS].with_extremes(bad=EMPTY)
    norm = Normalize(vmin=0, vmax=max(1.0, float(counts.max()) if counts.size else 1.0))
    axes.imshow(np.ma.masked_equal(counts, 0), cmap=colours, norm=norm, aspect="auto")
    for (row, column), n in np.ndenumerate(counts):
        if n:
            shade = colours(norm(n))
            light = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] > 0.55
            axes.text(column, row, f"{int(n)}", ha="center", va="center", fontsize=11,
                      color="black" if light else "white", fontweight="bold")
    for row, column in sorted(panel.silent):
        axes.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, hatch=HATCH, edgecolor=SILENT,
                                 linewidth=0, gid=f"silent:{row}:{column}"))
    positions = list(range(len(teams)))
    axes.set_xticks(positions, teams, rotation=30, ha="right", fontsize=10)
    axes.set_yticks(positions, teams, fontsize=10)
    for row in panel.silent_rows():
        label = axes.get_yticklabels()[row]
        label.set_color(HIGHLIGHT)
        label.set_fontweight("bold")
    axes.set_xticks([p - 0.5 for p in positions[1:]], minor=True)
    axes.set_yticks([p - 0.5 for p in positions[1:]], minor=True)
    axes.grid(which="minor", color="white", linewidth=1.5)
    axes.tick_params(which="minor", length=0)
    axes.set_title(panel.title, fontsize=12)
    axes.set_ylabel("from", fontsize=10)
    axes.set_xlabel("to", fontsize=10)


def describe(team_map: TeamMap) -> str:
    """Alt text: what the map shows, in words a screen reader can say."""
    parts = [f"Team map for {team_map.week.label}, {len(team_map.teams)} teams."]
    for noun, panel in (("requests", team_map.requests), ("kudos", team_map.kudos)):
        pairs = [(n, team_map.teams[i], team_map.teams[j]) for i, row in enumerate(panel.counts)
                 for j, n in enumerate(row) if n]
        total = sum(n for n, _, _ in pairs)
        line = f"{noun.capitalize()}: {total} across {len(pairs)} team pairs"
        if pairs:
            n, a, b = max(pairs, key=lambda p: (p[0], p[1], p[2]))
            line += f"; most from {a} to {b} ({n})"
        quiet = [team_map.teams[i] for i in panel.silent_rows()]
        if quiet:
            line += f"; no {noun} from {', '.join(quiet)} to any team for {SILENT_WEEKS} weeks"
        parts.append(line + ".")
    parts.append(f"Hatched cells: pairs with nothing for {SILENT_WEEKS} weeks.")
    return " ".join(parts)[:1000]


def team_map_chart(team_map: TeamMap) -> Chart:
    """The map as a PNG with alt text."""
    figure = team_map_figure(team_map)
    return Chart(title=f"Team map, {team_map.week.label}", alt=describe(team_map), png=png_of(figure),
                 name=f"team-map-{team_map.week.label}", compact=compact_png_of(figure))
