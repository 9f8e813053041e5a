"""A private request's title, text and comments reach only its requester,
the owning team and admins — walked through every way Tandem shows things,
as an outsider would try them."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

from bot.core import Tandem
from bot.messages import Message, plain
from bot.services import digest
from bot.services.clock import FrozenClock
from scheduler import jobs
from storage.models import Notification
from tests.helpers import command, grant, join, ok, person, press, say

SECRET = "payroll question about my salary"
COMMENT = "my bank changed too"


def everything(message: Message | None) -> str:
    if message is None:
        return ""
    return "\n".join([plain(message.title), *(plain(s.text) for s in message.sections),
                      *(f"{f.label}: {plain(f.value)}" for f in message.fields), *(plain(c) for c in message.context)])


def visible_to(core: Tandem, name: str) -> str:
    """Everything `name` can read: every command's reply, their home page."""
    lines = ["/requests", "/requests mine", "/requests team hr", "/requests overdue", "/requests 1",
             "/requests 1 comment hello", "/kudos top all", "/tandem team show hr"]
    out = [everything(core.run_command(command(name, line)).message) for line in lines]
    out.append(everything(core.run_home(person(name))))
    opened = core.run_action(press(name, "form.open", "kudos:request:1"))
    if opened.form is not None:
        out.extend(field.initial for field in opened.form.inputs)
    return "\n".join(out)


def channel_messages(core: Tandem) -> str:
    """Everything Tandem queued for channels (where people outside the team read)."""
    with Session(core.engine) as session:
        rows = session.exec(select(Notification).where(Notification.recipient_kind == "channel")).all()
    return "\n".join(everything(Message.model_validate_json(r.message_json)) for r in rows)


def test_an_outsider_never_reads_a_private_request_anywhere(core: Tandem, clock: FrozenClock) -> None:
    grant(core, "admin", "alice")
    for name in ("hana", "bob", "mallory"):
        core.introduce(person(name))
    ok(core, "alice", '/tandem team add hr "People Ops" <@hana>')
    ok(core, "hana", "/tandem team edit hr channel #hr-help")
    ok(core, "alice", "/tandem kudos channel #kudos")
    join(core, "hr", "ivan")
    assert SECRET in say(core, "bob", f"/ask hr {SECRET} private")
    ok(core, "bob", f"/requests 1 comment {COMMENT}")
    clock.advance(hours=30)  # past the first-response target: the channel is nudged
    asyncio.run(jobs.tick(core.engine, clock))
    ok(core, "ivan", "/requests 1 done sorted")
    ok(core, "bob", "/kudos <@ivan> thanks for #1")

    seen = visible_to(core, "mallory")
    assert SECRET not in seen and COMMENT not in seen
    assert "can't find request #1" in say(core, "mallory", "/requests 1")
    assert "can't find a finished request #1" in say(core, "mallory", "/kudos <@ivan> thanks for #1")
    public = channel_messages(core)
    assert public  # the card, the comment, the nudge and the kudos went to channels
    assert SECRET not in public and COMMENT not in public
    assert "Requester: @bob" not in public and "Requester: private" in public
    with Session(core.engine) as session:
        digest_text = everything(digest.build_message(session, digest.last_full_week(clock.now(), "UTC")))
    assert SECRET not in digest_text

    for insider in ("bob", "hana", "ivan", "alice"):  # the requester, the team, an admin
        assert SECRET in say(core, insider, "/requests 1"), insider
