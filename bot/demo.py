"""A demo company (`tandem seed-demo`): 6 teams, 40 people, a few weeks of
requests, ratings and kudos, made by running real commands on a moving clock,
so the demo exercises the same rules as real use."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.core import Tandem
from bot.events import Actor, Command, Place
from bot.services.clock import FrozenClock
from storage.models import Notification, Person, Request

TEAMS = [
    ("it", "IT Help", "Europe/London"),
    ("hr", "People Ops", "Europe/London"),
    ("finance", "Finance", "Europe/Paris"),
    ("design", "Design", "America/New_York"),
    ("marketing", "Marketing", "America/New_York"),
    ("sales", "Sales", "Asia/Tokyo"),
]
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
VALUES = [("ownership", "Own the outcome"), ("customer-first", "Start from the customer"),
          ("teamwork", "Win together"), ("candor", "Say it kindly, say it straight")]
THANKS = ["thanks for staying late on the release", "you saved the pitch", "thanks for the quick turnaround",
          "great onboarding for the new hires", "thanks for untangling the budget", "lovely work on the slides"]


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

    created = {"requests": 0, "kudos": 0, "ratings": 0}
    open_requests: list[tuple[int, str, str, datetime]] = []
    next_id = 1
    with Session(engine) as session:
        last = session.exec(select(Request.id).order_by(Request.id.desc())).first()  # type: ignore[union-attr]
        next_id = (last or 0) + 1
    def finish(rid: int, team_handle: str, req_person: str) -> None:
        worker = rng.choice(members[team_handle])
        run(worker, "requests", f"{rid} claim")
        if rng.random() < 0.85 or clock.now() < now - timedelta(days=7):
            run(worker, "requests", f"{rid} done {rng.choice(['all set', 'done, see the wiki', ''])}")
            if rng.random() < 0.7:
                score = rng.choice([5, 5, 4, 4, 4, 3, 2, 1])
                if run(req_person, "requests", f"{rid} rate {score} {rng.choice(['', 'quick!', 'took a while'])}"):
                    created["ratings"] += 1
            if rng.random() < 0.3:
                run(req_person, "kudos", f"<@{worker.lower()}> thanks for #{rid} #customer-first")
                created["kudos"] += 1

    while True:
        clock.advance(hours=rng.choice([2, 3, 4, 5, 6]))
        if clock.now() >= now:
            break
        handle = rng.choice(list(members))
        requester = rng.choice([p for p in staff if p not in members[handle]])
        if run(requester, "ask", f"{handle} {rng.choice(ASKS[handle])}"):
            open_requests.append((next_id, handle, requester, clock.now()))
            next_id += 1
            created["requests"] += 1
        # Teams work their oldest requests first; nothing older than a week is left behind,
        # so the demo starts with a realistic queue rather than a month of neglect.
        while open_requests and (rng.random() < 0.7 or clock.now() - open_requests[0][3] > timedelta(days=7)):
            rid, team_handle, req_person, _ = open_requests.pop(0)
            finish(rid, team_handle, req_person)
            if rng.random() < 0.5:
                break
        if rng.random() < 0.5:
            giver, receiver = rng.sample(staff, 2)
            tag = rng.choice(VALUES)[0]
            if run(giver, "kudos", f"<@{receiver.lower()}> {rng.choice(THANKS)} #{tag}"):
                created["kudos"] += 1
    with Session(engine) as session:
        created["people"] = len(session.exec(select(Person.id)).all())
        # The demo's history was delivered at the time: don't replay weeks of DMs on first start.
        session.exec(update(Notification).where(col(Notification.status) == "pending")
                     .values(status="sent", sent_at=now))
        session.commit()
    return created
