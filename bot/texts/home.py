"""What a person's home page (Slack App Home) says."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.messages import Message, Section, Span, Text, text
from bot.services.dates import describe
from bot.services.people import ref
from bot.texts.requests import FINAL, status_label
from storage.models import Person, Request, Team

if TYPE_CHECKING:
    from bot.services.home import HomePage

TITLE = "Your Tandem"
NOTHING_MINE = "Nothing open. Ask another team with /ask <team> <what>."
NOTHING_QUEUED = "The queue is empty."
NO_TEAM = "You're in no team yet: /tandem team list, then /tandem team join <team>."
NO_KUDOS = "No kudos yet this month. Why not thank someone? /kudos @name <why>"
TITLE_SHOWN = 120


def _line(req: Request, team: Team, assignee: Person | None, viewer: Person, now: datetime) -> Text:
    late = " · overdue" if req.status not in FINAL and req.due_at < now else ""
    owner: Text = (" · ", ref(assignee, ping=False)) if assignee else (" · unassigned",)
    return text(f"#{req.id} [{team.handle}] ", req.title[:TITLE_SHOWN],
                f" — {status_label(req.status)}, due {describe(req.due_at, viewer.timezone, now=now)}{late}", owner)


def _lines(rows: list[tuple[Request, Team, Person | None]], viewer: Person, now: datetime) -> Text:
    out: list[Span] = []
    for i, (req, team, assignee) in enumerate(rows):
        if i:
            out.append("\n")
        out.extend(_line(req, team, assignee, viewer, now))
    return tuple(out)


def home(page: HomePage, *, now: datetime) -> Message:
    viewer = page.person
    sections = [Section(heading=f"Your open requests ({len(page.mine)})",
                        text=_lines(page.mine, viewer, now) if page.mine else (NOTHING_MINE,))]
    if not page.queues:
        sections.append(Section(heading="Your team's queue", text=(NO_TEAM,)))
    for team, rows in page.queues:
        sections.append(Section(heading=f"{team.name}'s queue ({len(rows)})",
                                text=_lines(rows, viewer, now) if rows else (NOTHING_QUEUED,)))
    if page.recent_kudos:
        kudos_lines: list[Span] = []
        for i, (kudos, giver) in enumerate(page.recent_kudos):
            if i:
                kudos_lines.append("\n")
            kudos_lines.extend(text("From ", ref(giver, ping=False), ": ", kudos.message[:200]))
        kudos_text: Text = tuple(kudos_lines)
    else:
        kudos_text = (NO_KUDOS,)
    sections.append(Section(heading=f"Kudos you received this month ({page.kudos_this_month})", text=kudos_text))
    return Message(title=(TITLE,), sections=tuple(sections))
