"""The digest's pictures: the team × team map and the eight-week trends.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display,
safe in threads and servers), in colour-blind-safe colours (cividis for
amounts, Okabe–Ito for lines). Each chart comes back as PNG bytes with alt
text; the text digest says everything the pictures show.
"""

from bot.charts.canvas import Chart, png_of, shrink
from bot.charts.team_map import team_map_chart, team_map_figure
from bot.charts.trends import trends_chart, trends_figure

__all__ = ["Chart", "png_of", "shrink", "team_map_chart", "team_map_figure", "trends_chart", "trends_figure"]
