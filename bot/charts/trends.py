"""Eight weeks as small multiples: a row for the company and one per team,
a column per measure (kudos given, people recognised, requests received,
share finished on time, average rating), one scale per column so rows
compare at a glance. Weeks with nothing to measure are gaps, not zeros."""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from bot.charts.canvas import Chart, compact_png_of, png_of
from bot.charts.palette import EMPTY, LINES
from bot.services.trends import METRICS, Trends

SHARE, RATING = "Finished on time", "Average rating"


def _points(values: list[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def trends_figure(trends: Trends) -> Figure:
    """The small multiples as a matplotlib figure (1200 px wide at 100 dpi)."""
    rows = len(trends.rows)
    figure = Figure(figsize=(12, 1.2 + 1.25 * rows), layout="constrained")
    grid = figure.subplots(rows, len(METRICS), sharex=True, squeeze=False)
    weeks = [w.label.split("-")[1] for w in trends.weeks]
    x = list(range(len(weeks)))
    for c, metric in enumerate(METRICS):
        team_top = max([v for s in trends.rows[1:] for v in s.values[metric] if v is not None] or [1.0])
        for r, series in enumerate(trends.rows):
            axes = grid[r][c]
            points = _points(series.values[metric])
            axes.plot(x, points, color=LINES[c], marker="o", markersize=3, linewidth=1.8)
            axes.set_facecolor("white" if any(not math.isnan(p) for p in points) else EMPTY)
            if metric == SHARE:
                axes.set_ylim(0, 1.05)
                axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            elif metric == RATING:
                axes.set_ylim(1, 5.2)
            else:
                top = max([p for p in points if not math.isnan(p)] or [1.0]) if r == 0 else team_top
                axes.set_ylim(0, max(1.0, top) * 1.15)
                axes.yaxis.set_major_locator(MaxNLocator(3, integer=True))
            axes.tick_params(labelsize=8)
            axes.grid(axis="y", color="#DDDDDD", linewidth=0.6)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
            if r == 0:
                axes.set_title(metric, fontsize=11)
            if c == 0:
                axes.set_ylabel(series.name, rotation=0, ha="right", va="center", fontsize=10,
                                fontweight="bold" if r == 0 else "normal")
        grid[-1][c].set_xticks(x, weeks, rotation=45, fontsize=8)
    first, last = trends.weeks[0].label, trends.weeks[-1].label
    figure.suptitle(f"Eight weeks, {first} to {last}: the company (top row) and each team", fontsize=14)
    return figure


def _say(metric: str, values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return f"{metric}: nothing to measure"
    def fmt(v: float) -> str:
        return f"{v:.0%}" if metric == SHARE else f"{v:.1f}" if metric == RATING else f"{v:.0f}"
    first, last = known[0], known[-1]
    return f"{metric}: {fmt(first)} to {fmt(last)} (low {fmt(min(known))}, high {fmt(max(known))})"


def describe(trends: Trends) -> str:
    """Alt text: the company's eight weeks per measure, then each team's kudos and on-time share."""
    company = trends.rows[0]
    parts = [f"Small multiples of eight weeks, {trends.weeks[0].label} to {trends.weeks[-1].label}, "
             f"for the company and {len(trends.rows) - 1} teams. Company: "
             + "; ".join(_say(m, company.values[m]) for m in METRICS) + "."]
    for series in trends.rows[1:]:
        parts.append(f"{series.name}: " + "; ".join(_say(m, series.values[m]) for m in (METRICS[0], SHARE)) + ".")
    return " ".join(parts)[:1000]


def trends_chart(trends: Trends) -> Chart:
    """The small multiples as a PNG with alt text."""
    figure = trends_figure(trends)
    return Chart(title=f"Eight-week trends to {trends.weeks[-1].label}", alt=describe(trends),
                 png=png_of(figure), name=f"trends-{trends.weeks[-1].label}", compact=compact_png_of(figure))
