"""The digest's pictures, rendered from `tandem seed-demo`'s company and
checked as images: their size, every team's name on the axes, the silent
pairs hatched (Sales thanks nobody: its whole kudos row is marked), gaps for
weeks before Tandem was used, and alt text that says what they show."""

from __future__ import annotations

import io
import math

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image as Picture
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.charts import Chart, png_of, shrink, team_map_chart, team_map_figure, trends_chart, trends_figure
from bot.charts.palette import HIGHLIGHT
from bot.services import digest, team_map, trends
from tests.conftest import MONDAY_10_UTC

TEAMS = ["Design", "Finance", "IT Help", "Marketing", "People Ops", "Sales"]
WEEK = digest.last_full_week(MONDAY_10_UTC, "UTC")  # 2026-W47


@pytest.fixture(scope="module")
def demo_map(demo_engine: Engine) -> team_map.TeamMap:
    with Session(demo_engine) as session:
        return team_map.compute(session, WEEK)


@pytest.fixture(scope="module")
def demo_trends(demo_engine: Engine) -> trends.Trends:
    with Session(demo_engine) as session:
        return trends.compute(session, WEEK)


@pytest.fixture(scope="module")
def map_chart(demo_map: team_map.TeamMap) -> Chart:
    return team_map_chart(demo_map)


@pytest.fixture(scope="module")
def trends_picture(demo_trends: trends.Trends) -> Chart:
    return trends_chart(demo_trends)


def _labels(figure: Figure) -> list[tuple[list[str], list[str]]]:
    figure.canvas.draw()
    return [([t.get_text() for t in axes.get_xticklabels()], [t.get_text() for t in axes.get_yticklabels()])
            for axes in figure.axes]


def _picture(png: bytes) -> Picture.Image:
    picture = Picture.open(io.BytesIO(png))
    picture.load()
    assert picture.format == "PNG"
    return picture


def test_the_team_map_names_every_team_on_both_axes_of_both_panels(demo_map: team_map.TeamMap) -> None:
    assert list(demo_map.teams) == TEAMS
    figure = team_map_figure(demo_map)
    assert _labels(figure) == [(TEAMS, TEAMS), (TEAMS, TEAMS)]
    assert [axes.get_title() for axes in figure.axes] == ["Requests (asking team → team asked)",
                                                          "Kudos (thanking team → team thanked)"]
    picture = _picture(png_of(figure))
    assert picture.size == (1100, 520)
    # colour-blind-safe: cividis for amounts
    assert {image.get_cmap().name for axes in figure.axes for image in axes.get_images()} == {"cividis"}


def test_a_team_that_thanked_nobody_for_four_weeks_has_its_whole_row_hatched(demo_map: team_map.TeamMap) -> None:
    sales = TEAMS.index("Sales")
    assert demo_map.kudos.silent_rows() == [sales]
    assert all(n == 0 for n in demo_map.kudos.counts[sales])
    assert sum(demo_map.requests.counts[sales]) > 0 and sales not in demo_map.requests.silent_rows()
    figure = team_map_figure(demo_map)
    figure.canvas.draw()
    _, kudos_axes = figure.axes
    hatched = {patch.get_gid() for patch in kudos_axes.patches if patch.get_hatch()}
    assert {f"silent:{sales}:{column}" for column in range(len(TEAMS))} <= hatched
    marked = [t for t in kudos_axes.get_yticklabels() if to_hex(t.get_color()) == HIGHLIGHT.lower()]
    assert [t.get_text() for t in marked] == ["Sales"]
    # the busy pairs are not hatched
    busy = [(i, j) for i, row in enumerate(demo_map.kudos.counts) for j, n in enumerate(row) if n]
    assert busy and not {f"silent:{i}:{j}" for i, j in busy} & hatched


def test_the_team_map_picture_says_in_words_what_it_shows(demo_map: team_map.TeamMap, map_chart: Chart) -> None:
    chart = map_chart
    assert chart.name == "team-map-2026-W47" and len(chart.alt) <= 1000
    assert "6 teams" in chart.alt and "no kudos from Sales to any team for 4 weeks" in chart.alt
    total = sum(map(sum, demo_map.kudos.counts))
    assert f"Kudos: {total} across" in chart.alt
    # hatched cells really are drawn: the Sales kudos row has the hatch's grey
    picture = _picture(chart.png).convert("RGB")
    width, height = picture.size
    greys = {picture.getpixel((x, y)) for x in range(width // 2 + 80, width - 40, 3)
             for y in range(int(height * 0.66), int(height * 0.76), 3)}
    assert (0x55, 0x55, 0x55) in greys or any(abs(r - 0x55) < 24 and r == g == b for r, g, b in greys)


def test_eight_weeks_of_small_multiples_for_the_company_and_each_team(demo_trends: trends.Trends) -> None:
    assert [w.label for w in demo_trends.weeks] == [f"2026-W{n}" for n in range(40, 48)]
    assert [row.name for row in demo_trends.rows] == ["Company", *TEAMS]
    company = demo_trends.rows[0].values
    # the demo began on Mon 26 Oct (W44): the weeks before are gaps, not zeros
    assert company["Kudos given"][:4] == [None] * 4 and all(v for v in company["Kudos given"][4:])
    share = [v for v in company["Finished on time"] if v is not None]
    assert share and all(0 <= v <= 1 for v in share) and min(share) < 1
    figure = trends_figure(demo_trends)
    labels = _labels(figure)
    assert len(figure.axes) == 7 * 5
    rows = [figure.axes[r * 5].get_ylabel() for r in range(7)]
    assert rows == ["Company", *TEAMS]
    assert labels[-1][0] == [f"W{n}" for n in range(40, 48)]
    assert [figure.axes[c].get_title() for c in range(5)] == list(trends.METRICS)
    lines = figure.axes[0].get_lines()[0].get_ydata()
    assert all(math.isnan(v) for v in lines[:4])


def test_the_trends_picture_says_in_words_what_it_shows(trends_picture: Chart) -> None:
    chart = trends_picture
    picture = _picture(chart.png)
    assert picture.size[0] == 1200 and 900 <= picture.size[1] <= 1100
    assert chart.name == "trends-2026-W47" and len(chart.alt) <= 1000
    assert chart.alt.startswith("Small multiples of eight weeks, 2026-W40 to 2026-W47, for the company and 6 teams.")
    assert "Sales: Kudos given: 0 to 0" in chart.alt


def test_a_chart_shrinks_to_a_budget_and_stays_a_readable_png(map_chart: Chart) -> None:
    png = map_chart.png
    small = shrink(png, max_bytes=20_000)
    assert small is not None and len(small) <= 20_000 < len(png)
    assert _picture(small).size[0] >= 480
    assert shrink(png, max_bytes=500) is None
    assert shrink(png, max_bytes=len(png)) == png
