"""The fuzz suite's properties, checked on every reply the core gives:

- no unexpected failure: never the "something went wrong on my side" apology;
- a refusal changes nothing in the database;
- every rendering passes its platform's limits: Slack blocks re-validated by
  `slack_sdk.models` (and at most 50), the modal view likewise; the Teams card
  within Teams' 28 KB message limit on card version 1.5 (the repository keeps
  no Adaptive Card schema, so its shape is checked here); terminal text;
- no raw broadcast (`<!channel>`, `<!here>`, `<!everyone>`), link token or
  mention that the core didn't build as a pinging `PersonRef`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.shell import render as terminal
from adapters.slack import blocks, modals
from adapters.teams import cards
from bot.core import Tandem
from bot.messages import Message, PersonRef, Reply, Text, plain
from tests.fuzz.conftest import TENANT, fingerprint

BROKEN = "something went wrong on my side"
SLACK_MENTION = re.compile(r"<@([^<>|]*)")
SLACK_SPECIAL = re.compile(r"<(?:!|#|https?:|mailto:)", re.I)
TEAMS_MESSAGE_LIMIT = 28_000
TEAMS_MENTION = re.compile(r"(?<!\\)<at>.*?(?<!\\)</at>", re.S)


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def call(core: Tandem, run: Callable[[], Reply], *, what: str) -> Reply:
    """Run one core call and check every property on its reply."""
    before = fingerprint(core.engine)
    reply = run()
    shown = plain(reply.message.title) if reply.message else ""
    assert BROKEN not in shown, f"{what!r} broke the core: {shown}"
    if not reply.ok:
        assert fingerprint(core.engine) == before, f"{what!r} was refused but changed the database"
    rendered_safely(reply)
    return reply


def _people(message: Message) -> list[PersonRef]:
    texts: list[Text] = [message.title, *(s.text for s in message.sections), *(f.value for f in message.fields),
                         *message.context]
    return [span for value in texts for span in value if isinstance(span, PersonRef)]


def rendered_safely(reply: Reply) -> None:
    if reply.message is not None:
        _slack(reply.message)
        _teams(reply.message)
        assert isinstance(terminal.message(reply.message), str)
    if reply.form is not None:
        view = modals.view(reply.form, opened=modals.Opened(metadata=reply.form.private_metadata))
        View(**view).validate_json()
        assert len(view["private_metadata"]) <= modals.METADATA
        card = cards.form_card(reply.form, errors=reply.errors)
        assert len(json.dumps(card)) < TEAMS_MESSAGE_LIMIT
        assert isinstance(terminal.form(reply.form), str)
    for error in reply.errors.values():
        assert len(blocks.shorten(error, 300)) <= 300


def _slack(message: Message) -> None:
    rendered = blocks.render(message, tenant=TENANT)
    assert 0 < len(rendered) <= blocks.MAX_BLOCKS
    for block in rendered:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    everything = json.dumps(rendered, ensure_ascii=False) + blocks.fallback(message, tenant=TENANT)
    assert not SLACK_SPECIAL.search(everything), f"a raw broadcast, channel or link token: {everything[:300]}"
    built = {p.user_id for p in _people(message) if p.ping and p.platform == "slack" and p.tenant == TENANT}
    for user_id in SLACK_MENTION.findall(everything):
        assert user_id in built, f"<@{user_id}> was not built by the core"


def _teams(message: Message) -> None:
    card = cards.message_card(message)
    assert card["type"] == "AdaptiveCard" and card["version"] == cards.CARD_VERSION
    raw = json.dumps(card, ensure_ascii=False)
    assert len(raw.encode()) < TEAMS_MESSAGE_LIMIT
    entities = (card.get("msteams") or {}).get("entities") or []
    tags = {e["text"] for e in entities}
    for value in _strings(card.get("body")):
        for tag in TEAMS_MENTION.findall(value):  # an escaped \\<at> is shown as text, not read as a mention
            assert tag in tags, f"{tag} has no mention entity"
    assert all(e["mentioned"]["id"] in {p.user_id for p in _people(message) if p.ping} for e in entities)
    for element in card["body"]:
        if element.get("type") == "TextBlock":
            assert isinstance(element["text"], str)
