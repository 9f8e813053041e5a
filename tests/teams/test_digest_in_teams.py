"""The demo company's digest in a Teams channel, over the local Bot
Connector mock: its pictures ride in the card while the card stays under
Teams' 28 KB (shrunk to fit), a picture that can't fit becomes a link to
`tandem serve`'s /charts/<sha256>.png when TANDEM_PUBLIC_URL is set, and
its description otherwise. The text digest is always complete."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from typing import Any

import pytest
from PIL import Image as Picture

from adapters.teams.app import TeamsApp, chart_link
from bot.messages import Message
from bot.ports import Recipient
from tests.teams.conftest import MockConnector, TeamsChat, card_text
from tests.teams.payloads import ANN, IT_CHANNEL, TENANT, installed_in_team

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # delivery, not storage, is tested
TEAMS_LIMIT = 28 * 1024
TO_CHANNEL = Recipient(kind="channel", platform="teams", tenant=TENANT, address=IT_CHANNEL)


def _images(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for element in card["body"] if element["type"] == "Image"]


async def _post_digest(teams: TeamsApp, connector: MockConnector, chat: TeamsChat, message: Message) -> Any:
    await chat.send(installed_in_team(ANN, service_url=connector.url, channel=IT_CHANNEL))
    await teams.port.send(TO_CHANNEL, message)
    [call] = connector.delivered()
    assert len(json.dumps(call.body).encode()) < TEAMS_LIMIT
    assert "Service record" in card_text(call.card) and "Participation" in card_text(call.card)
    return call


async def test_pictures_that_fit_ride_inline_shrunk_under_the_card_limit(
        teams: TeamsApp, connector: MockConnector, chat: TeamsChat, demo_digest: Message) -> None:
    team_map = demo_digest.images[0]
    message = demo_digest.model_copy(update={"images": (team_map,)})
    call = await _post_digest(teams, connector, chat, message)
    [image] = _images(call.card)
    assert image["altText"] == team_map.alt and image["url"].startswith("data:image/png;base64,")
    shrunk = base64.b64decode(image["url"].split(",", 1)[1])
    assert len(shrunk) < len(base64.b64decode(team_map.png_base64))
    picture = Picture.open(io.BytesIO(shrunk))
    assert picture.format == "PNG" and picture.size[0] >= 480


async def test_pictures_too_big_for_the_card_link_to_tandem_serve(
        teams: TeamsApp, connector: MockConnector, chat: TeamsChat, demo_digest: Message) -> None:
    teams.port.chart_link = chart_link("https://tandem.example.com/")
    call = await _post_digest(teams, connector, chat, demo_digest)
    images = _images(call.card)
    assert [i["altText"] for i in images] == [image.alt for image in demo_digest.images]
    assert images[0]["url"].startswith("data:image/png;base64,")  # the team map, compact, inline
    trends_png = base64.b64decode(demo_digest.images[1].png_base64)
    assert images[1]["url"] == f"https://tandem.example.com/charts/{hashlib.sha256(trends_png).hexdigest()}.png"


async def test_without_a_public_address_a_picture_that_cannot_fit_is_described(
        teams: TeamsApp, connector: MockConnector, chat: TeamsChat, demo_digest: Message) -> None:
    assert teams.port.chart_link is None
    call = await _post_digest(teams, connector, chat, demo_digest)
    team_map, trends = demo_digest.images
    [inline] = _images(call.card)
    assert inline["altText"] == team_map.alt and inline["url"].startswith("data:image/png;base64,")
    assert trends.alt[:60] in card_text(call.card).replace("\\", "")
