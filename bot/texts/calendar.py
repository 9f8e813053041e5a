"""What Tandem says about dates and working time: how a typed date was read
(or why it wasn't), a due date moved off a closed day, and a team's
holidays, closed days, hours and service-standard targets.

It imports nothing from bot.services.teams, so the services that read and
bound these values can word their refusals from here.
"""

from __future__ import annotations

from datetime import date

from bot.services.dates import describe_day
from bot.services.worktime import Closure

# --- reading a typed date ---------------------------------------------------------------------------------------
DATE_UNREADABLE = "I couldn't read “{when}” as a date. Try friday, tomorrow 3pm, in 2 days, end of month or 2026-12-01."
DATE_PAST = "“{when}” has already gone by. Pick a moment in the future."
DATE_TOO_FAR = ("“{when}” is too far ahead: I keep dates within {days} days, so until {limit} at the latest. "
                "Pick a closer date.")
DATE_NO_SUCH_TIME = "“{when}” names a time or day that doesn't exist ({part}). Write times like 3pm, 9:30am or 15:00."
DATE_NO_SUCH_DAY = "“{when}” names a day that doesn't exist ({part}). Write dates like 5 Dec or 2026-12-05."
DATE_TWO_WAYS = ("“{when}” could be {first} or {second}. Write the month as a word (like 5 Dec) or the date as "
                 "{iso}, or tell me how you write dates: `/tandem me locale en-GB`.")
DATE_UNCLEAR_NUMBER = ("In “{when}” I can't tell whether {part} is a day or an hour. Write a time as 3pm or 15:00, "
                       "a day as 17 Dec.")
DATE_WRONG_WEEKDAY = "“{when}”: {day} is a {weekday}. Check the day and try again."
ASK_ONLY_DATE = ("“{when}” is a due date, but what do you need from {team}? "
                 "`/ask {handle} <what> by {when}`, e.g. `/ask {handle} new laptop by {when}`.")

# --- a due date as it was read --------------------------------------------------------------------------------
DUE_READ = "read from “{when}”"
DUE_ASAP = "as soon as possible: within one working day of {team}"
DUE_STANDARD = "{team}'s service standard"
DUE_MOVED_EARLIER = "{day} is {why} for {team}, so it's due at the end of their last working day before it."
DUE_MOVED_LATER = ("{day} is {why} for {team} and they have no working time before it, so it's due at the end of "
                   "their next working day.")
DUE_ON_CLOSED_DAY = "{day} is {why} for {team}; they have no working time left to move it to."
SNOOZED = "#{id} is snoozed until {until}; no reminders until then."

# --- a team's calendar ------------------------------------------------------------------------------------------
HOLIDAYS_UNKNOWN = ("“{code}” isn't a holiday calendar I know. Write a country code, with a region after a dash where "
                    "the region has holidays of its own: DE, DE-BY, US-CA, GB-SCT, FR. `off` means no public "
                    "holidays.")
HOLIDAYS_UNKNOWN_REGION = "“{code}”: I know {country}, but not that region. Its regions: {regions}."
CLOSED_USAGE = ("Closed days are dates or ranges: `/tandem team edit it closed 2026-12-24..2026-12-31 2027-01-02` "
                "sets them, `closed add …` adds, `closed remove …` opens days again, `closed off` clears them.")
CLOSED_UNREADABLE = "“{value}” isn't a date or a range. " + CLOSED_USAGE
CLOSED_NO_SUCH_DAY = "“{value}” names a day that doesn't exist. " + CLOSED_USAGE
CLOSED_REVERSED = "“{value}” ends before it starts; write the earlier day first, like 2026-12-24..2026-12-31."
CLOSED_TOO_LONG = "“{value}” is longer than {most} days; split it, or set the team's working days instead."
CLOSED_OUT_OF_RANGE = "“{value}” is outside the dates I keep closed days for: {earliest} to {latest}."
CLOSED_TOO_MANY = "That makes {count} closed ranges; a team keeps at most {most}. Remove old ones with `closed remove …`."
HOURS_TOO_SHORT = "Working hours of “{hours}” are shorter than an hour; a working day needs at least one, like 09:00-17:00."
TARGET_TOO_LONG = ("“{value}” is longer than I keep a {label} target: at most {days} working days ({hours} h). "
                   "Try something like 4h, 3d or 10d.")
TARGET_TOO_SHORT = "“{value}” is shorter than a minute; a {label} target is at least 1m."

# --- a person's own settings -------------------------------------------------------------------------------------
LOCALE_UNKNOWN = ("“{value}” isn't a locale I know. Use a language and country, like en-US, en-GB, de-DE or fr-FR; "
                  "it sets whether 12/05 means 12 May or 5 Dec.")
LOCALE_SET = "I'll read your dates the {locale} way: {example} is {meaning}."


def closure_words(closure: Closure) -> str:
    """Why a day is closed, as a reply says it: "not a working day", "a holiday (Christmas Day)"."""
    if closure.kind == "holiday":
        return f"a holiday ({closure.name})"
    if closure.kind == "closed" and closure.first and closure.last:
        return f"a closed day ({describe_range(closure.first, closure.last)})"
    return "not a working day"


def describe_range(first: date, last: date, *, today: date | None = None) -> str:
    """"Thu 24 Dec – Thu 31 Dec 2026", or one day."""
    if first == last:
        return describe_day(first, today=today)
    return f"{describe_day(first, today=today)} – {describe_day(last, today=today)}"


def holidays_label(code: str | None, upcoming: tuple[date, str] | None, *, today: date) -> str:
    """The Holidays field of a team card."""
    if not code:
        return "none (set with /tandem team edit <team> holidays DE-BY)"
    if upcoming is None:
        return code
    return f"{code} (next: {describe_day(upcoming[0], today=today)}, {upcoming[1]})"


def closed_label(ranges: tuple[tuple[date, date], ...], *, today: date) -> str:
    """The Closed days field of a team card: the ranges not yet over, earliest first."""
    ahead = [(first, last) for first, last in ranges if last >= today]
    if not ahead:
        return "none"
    return "; ".join(describe_range(first, last, today=today) for first, last in ahead)
