"""A demo company (`tandem seed-demo`): 6 teams, 40 people, a few weeks of
requests, ratings and kudos, made by running real commands on a moving clock,
so the demo exercises the same rules as real use.

It is meant to look like a real company's month, so the digest shows what a
real digest says: first responses take working hours (in each team's own
time zone and hours), some requests finish late, a few low ratings are still
waiting for their lead, recognition is uneven (a few people are thanked
often, some never) and one team never thanks anyone (a silo to spot).
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.core import Tandem
from bot.events import Actor, Command, Place
from bot.services import teams
from bot.services.clock import FrozenClock
from bot.services.worktime import WorkCalendar
from storage.models import Notification, Person, Request, Team

TEAMS = [
    ("it", "IT Help", "Europe/London"),
    ("hr", "People Ops", "Europe/London"),
    ("finance", "Finance", "Europe/Paris"),
    ("design", "Design", "America/New_York"),
    ("marketing", "Marketing", "America/New_York"),
    ("sales", "Sales", "Asia/Tokyo"),
]
QUIET_TEAM = "sales"  # asks others for plenty, thanks nobody: the silo the digest should show
FIRST = ["Ada", "Ben", "Chloe", "Dev", "Emma", "Finn", "Grace", "Hugo", "Isla", "Jon", "Kim", "Leo", "Maya", "Nina",
         "Omar", "Priya", "Quinn", "Ravi", "Sara", "Tom", "Uma", "Vic", "Wes", "Xena", "Yuki", "Zoe", "Ali", "Bea",
         "Cal", "Dina", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jade", "Kai", "Lena", "Max", "Noor"]
ASKS = {
    "it": ["new laptop for the new hire", "VPN access for the Lisbon office", "reset my 2FA", "a second monitor"],
    "hr": ["update my bank details", "parental leave questions", "onboarding plan for Sam", "reference letter"],
    "finance": ["approve the Q4 travel budget", "reimburse the conference ticket", "a PO for the design tools"],
    "design": ["slides for the customer pitch", "new banner for the campaign", "icons for the onboarding flow"],
    "marketing": ["case study with our biggest customer", "blog post review", "a booth at the trade fair"],
    "sales": ["pricing for a 500-seat deal", "intro to the Acme buyer", "customer quote for the newsletter"],
}
# how busy each team is asked (IT and Finance get most), relative weights
DEMAND = {"it": 5, "hr": 3, "finance": 4, "design": 2, "marketing": 1, "sales": 1}
# first response in working hours: most teams answer within their 4-hour target, some not
FIRST_RESPONSE_HOURS = {"it": (0.3, 3.0), "hr": (1.0, 6.0), "finance": (2.0, 9.0), "design": (0.5, 4.0),
                        "marketing": (0.5, 3.0), "sales": (1.0, 5.0)}
# work after the first response, in working hours (a 3-working-day target is 24 of them)
WORK_HOURS = {"it": (1.0, 20.0), "hr": (2.0, 30.0), "finance": (4.0, 40.0), "design": (4.0, 28.0),
              "marketing": (2.0, 20.0), "sales": (2.0, 24.0)}
VALUES = [("ownership", "Own the outcome"), ("customer-first", "Start from the customer"),
          ("teamwork", "Win together"), ("candor", "Say it kindly, say it straight")]
THANKS = ["thanks for staying late on the release", "you saved the pitch", "thanks for the quick turnaround",
          "great onboarding for the new hires", "thanks for untangling the budget", "lovely work on the slides"]


@dataclass(order=True)
class _Step:
    """One thing somebody does at `at`; the heap runs them in time order."""

    at: datetime
    order: int
    who: str = field(compare=False)
    command: str = field(compare=False)
    text: str = field(compare=False)
    then: str = field(default="", compare=False)  # what follows it: "claimed", "done", "rated:<score>"
    request: tuple[int, str, str] | None = field(default=None, compare=False)  # (id, team handle, requester)


def seed(engine: Engine, *, now: datetime, weeks: int = 4, seed_value: int = 7) -> dict[str, int]:
    """Fill the database with a demo company; returns what was created."""
    rng = random.Random(seed_value)
    clock = FrozenClock(now - timedelta(weeks=weeks))
    core = Tandem(engine, clock=clock)
    place = Place(platform="shell", tenant="local", channel="general", name="general")

    def who(name: str) -> Actor:
        return Actor(platform="shell", tenant="local", user_id=name.lower(), display_name=name)

    def run(name: str, command: str, text: str) -> bool:
        mentions = tuple(Actor(platform="shell", tenant="local", user_id=w[2:-1], known=False)
                         for w in text.split() if w.startswith("<@"))
        reply = core.run_command(Command(actor=who(name), place=place, name=command, text=text, mentions=mentions))
        return reply.ok

    staff = FIRST[:40]
    for name in staff:
        core.introduce(who(name))
    members: dict[str, list[str]] = {}
    admin = staff[0]  # the first person to use Tandem is its first admin
    for i, (handle, title, tz) in enumerate(TEAMS):
        team_people = staff[i * 6:(i + 1) * 6]
        lead = team_people[0]
        run(admin, "tandem", f'team add {handle} "{title}" <@{lead.lower()}>')
        run(lead, "tandem", f"team edit {handle} timezone {tz}")
        run(lead, "tandem", f"team edit {handle} channel #{handle}-help")
        run(lead, "tandem", f"team add-member {handle} " + " ".join(f"<@{p.lower()}>" for p in team_people[1:]))
        members[handle] = team_people
    for tag, description in VALUES:
        run(admin, "tandem", f'values add {tag} "{description}"')
    run(admin, "tandem", f"hr add <@{staff[6].lower()}>")
    run(staff[6], "tandem", "digest channel #people")
    run(admin, "tandem", "kudos channel #kudos")
    with Session(engine) as session:
        calendars = {t.handle: teams.calendar(t) for t in session.exec(select(Team)).all()}
        last = session.exec(select(Request.id).order_by(Request.id.desc())).first()  # type: ignore[union-attr]
    team_of = {person: handle for handle, people in members.items() for person in people}
    # a few people are thanked often, some hardly ever: recognition is rarely even
    popularity = [rng.paretovariate(1.2) if rng.random() < 0.85 else 0.0 for _ in staff]

    created = {"requests": 0, "kudos": 0, "ratings": 0}
    next_id = (last or 0) + 1
    order = itertools.count()
    steps: list[_Step] = []

    def later(at: datetime, who_: str, command: str, text: str, *, then: str = "",
              request: tuple[int, str, str] | None = None) -> None:
        if at < now:  # what would happen after `now` is the queue the demo starts with
            heapq.heappush(steps, _Step(at, next(order), who_, command, text, then, request))

    def hours(cal: WorkCalendar, start: datetime, span: tuple[float, float]) -> datetime:
        return cal.add(start, timedelta(hours=rng.uniform(*span)))

    def after(step: _Step) -> None:
        """Schedule what follows a step that worked: the claim, the finish, the rating, a thank-you."""
        assert step.request is not None
        rid, handle, requester = step.request
        cal = calendars[handle]
        if step.then == "claimed":
            later(hours(cal, step.at, WORK_HOURS[handle]), step.who, "requests",
                  f"{rid} done {rng.choice(['all set', 'done, see the wiki', ''])}", then="done", request=step.request)
        elif step.then == "done":
            if rng.random() < 0.7:
                score = rng.choice([5, 5, 4, 4, 4, 3, 2, 1])
                later(step.at + timedelta(hours=rng.uniform(0.5, 30)), requester, "requests",
                      f"{rid} rate {score} {rng.choice(['', 'quick!', 'took a while'])}",
                      then=f"rated:{score}", request=step.request)
            if rng.random() < 0.3 and team_of.get(requester) != QUIET_TEAM:
                later(step.at + timedelta(hours=rng.uniform(0.2, 6)), requester, "kudos",
                      f"<@{step.who.lower()}> thanks for #{rid} #customer-first", then="kudos")
        elif step.then.startswith("rated:"):
            created["ratings"] += 1
            if int(step.then.split(":")[1]) <= 2 and rng.random() < 0.4:  # most low ratings wait for their lead
                later(hours(cal, step.at, (2.0, 12.0)), members[handle][0], "requests",
                      f"{rid} handled called them, sorry for the wait")

    asked_at = clock.now()
    while True:
        asked_at += timedelta(hours=rng.choice([2, 3, 4, 5, 6]))
        # everything due before the next ask happens first, in time order
        while steps and steps[0].at < min(asked_at, now):
            step = heapq.heappop(steps)
            clock.set(step.at)
            if run(step.who, step.command, step.text):
                if step.then == "kudos":
                    created["kudos"] += 1
                elif step.request is not None:
                    after(step)
        if asked_at >= now:
            break
        clock.set(asked_at)
        handle = rng.choices(list(DEMAND), weights=list(DEMAND.values()))[0]
        requester = rng.choice([p for p in staff if p not in members[handle]])
        if run(requester, "ask", f"{handle} {rng.choice(ASKS[handle])}"):
            request = (next_id, handle, requester)
            next_id += 1
            created["requests"] += 1
            worker = rng.choice(members[handle])
            later(hours(calendars[handle], asked_at, FIRST_RESPONSE_HOURS[handle]), worker, "requests",
                  f"{request[0]} claim", then="claimed", request=request)
        if rng.random() < 0.5:
            givers = [p for p in staff if team_of.get(p) != QUIET_TEAM]
            giver = rng.choice(givers)
            receiver = rng.choices(staff, weights=popularity)[0]
            if receiver != giver:
                tag = rng.choice(VALUES)[0]
                if run(giver, "kudos", f"<@{receiver.lower()}> {rng.choice(THANKS)} #{tag}"):
                    created["kudos"] += 1
    clock.set(now)
    with Session(engine) as session:
        created["people"] = len(session.exec(select(Person.id)).all())
        # The demo's history was delivered at the time: don't replay weeks of DMs on first start.
        session.exec(update(Notification).where(col(Notification.status) == "pending")
                     .values(status="sent", sent_at=now))
        session.commit()
    return created
