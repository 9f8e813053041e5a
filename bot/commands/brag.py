"""`/kudos mine export`: your brag file, every kudos you received, sent to you alone."""

from __future__ import annotations

import uuid

from bot.commands import args
from bot.context import Context
from bot.messages import Message, Reply
from bot.problems import Problem
from bot.registry import registry
from bot.services import brag, outbox

SENT = "Your kudos file ({n} kudos, Markdown and CSV) is on its way to your direct messages."
TITLE = "Your kudos, {n} received: Markdown to read, CSV to sort."


@registry.command("kudos mine export", rest="", example="/kudos mine export")
def export_mine(ctx: Context, text: str) -> Reply:
    """Your brag file: every kudos you received (who, when, why, values, requests) as Markdown and CSV.

    It goes to your own direct messages (in Slack as two files), never to a channel.
    """
    count, files = brag.files(ctx.session, ctx.person, now=ctx.now())
    outbox.notify(ctx.session, outbox.to_person(ctx.person), Message(title=(TITLE.format(n=count),),
                                                                   attachments=files),
                  key=f"brag:{ctx.person.id}:{uuid.uuid4().hex}", now=ctx.now(), kind="brag_file")
    return Reply.say(SENT.format(n=count))


ONLY_YOURS = "Your own kudos only: `/kudos mine export` sends you your file. Others can ask for theirs."


@registry.command("kudos mine", usage="export", hidden=True, example="/kudos mine")
def mine_misspoken(ctx: Context, text: str) -> Reply:
    """Anything else after `/kudos mine` (someone else's file, a typo) is explained, never taken as a thanks."""
    raise Problem(ONLY_YOURS, echo=f"/kudos mine {args.as_written(ctx, text)}".strip())
