"""Due dates as people type them, read in the person's own time zone and
the person's own order of day and month — and never guessed.

dateparser does the reading of words ("friday", "tomorrow 3pm", "in 2 days",
"dec 3"). Around it, this module does what dateparser would otherwise get
silently wrong:

- Numeric dates ("05.12.", "12/05", "5.12.2026") are read here, in the
  order of the person's locale (Babel knows each locale's short date
  pattern: de_DE is day.month, en_US month/day). Without a locale, a date
  that reads two ways ("12/05") is refused with both readings, not guessed;
  one that reads only one way ("25/12") is taken.
- A time that doesn't exist ("25pm", "3:75"), a bare number that could be a
  day or an hour ("friday 17", "tomorrow at 3") and a weekday that doesn't
  match its date ("friday 5 dec" when the 5th is a Saturday) are refused.
- Nothing beyond the horizon (default a year) is accepted, and nothing
  before now; years far out never reach a time-zone conversion.

It has no notion of "end of month/week" either, which people do type, so
those few phrases are turned into dates first. A date with no time of day
means the end of that working day, not midnight.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser

DEFAULT_HORIZON = timedelta(days=365)
PHRASE_LIMIT = 80
LOCALE_LIMIT = 35

_END_OF = re.compile(r"^\s*(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?(day|week|month)\s*$", re.I)
_HAS_TIME = re.compile(r"\d\s*(?:am|pm)\b|\d:\d\d|\bnoon\b|\bmidnight\b|\bin\s+\d+(?:\.\d+)?\s*(?:min|minute|hour|h)", re.I)
_RELATIVE = re.compile(r"\bin\s+\d+(?:\.\d+)?\s*(?:min|minute|hour|h)", re.I)
_AMPM = re.compile(r"\b(\d{1,2})(?:[:.](\d{1,2}))?\s*([ap])\.?m\b\.?", re.I)
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{1,2})\b")
_UNIT = r"(?:min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|months?|years?)"
_IN = re.compile(rf"\bin\s+(\d+(?:\.\d+)?)\s*({_UNIT})\b", re.I)
_NUMERIC = re.compile(
    r"(?<![\w:./-])(\d{1,4})([./-])(\d{1,2})(?:\2(\d{2,4}))?\.?"
    rf"(?![\w:]|[./-]\d|\s*(?:[ap]\.?m\b|{_UNIT}\b))", re.I)
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMBER = re.compile(r"\b\d+\b")
ASAP = re.compile(r"^\s*(?:asap|a\.s\.a\.p\.?|as soon as possible)\s*$", re.I)

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_WORDS = {m[:3] for m in MONTHS} | set(MONTHS) | {"sept"}
_WEEKDAY_WORDS = {d: i for i, day in enumerate(WEEKDAYS) for d in (day, day[:3])} | {
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3}
DATE_WORDS = _MONTH_WORDS | set(_WEEKDAY_WORDS) | {
    "today", "tomorrow", "tonight", "tmrw", "noon", "midnight", "morning", "afternoon", "evening", "eod", "eow",
    "eom", "asap", "end", "day", "week", "month", "weekend", "next"}
_SKIP_WORDS = {"the", "this", "next", "coming", "at", "on", "latest", "about", "around", "mid", "early", "late"}


class DateNotUnderstood(ValueError):
    """The text is not a date we can read."""


class DateInPast(ValueError):
    """The text is a date, but it has already gone by."""


class DateTooFar(ValueError):
    """The text is a date beyond the horizon."""


class DateImpossible(ValueError):
    """The text names a time or a day that doesn't exist ("25pm", "31.02."); `part` is that piece."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


class DateAmbiguous(ValueError):
    """The text reads as more than one date or time; `part` is the piece, `readings` what it could be."""

    def __init__(self, part: str, readings: tuple[date, ...] = ()) -> None:
        super().__init__(part)
        self.part = part
        self.readings = readings


class WeekdayMismatch(ValueError):
    """A weekday was typed with a date that falls on another day."""

    def __init__(self, day: date) -> None:
        super().__init__(day.isoformat())
        self.day = day


@dataclass(frozen=True)
class ParsedDate:
    moment: datetime  # aware UTC
    had_time: bool


@dataclass(frozen=True)
class DateReading:
    """How one person's typed dates are read: their zone, their locale's
    order of day and month ("DMY", "MDY", "YMD"; None when unknown) and how
    far ahead a date may be."""

    tz: str = "UTC"
    order: str | None = None
    horizon: timedelta = DEFAULT_HORIZON


def canonical_locale(name: str | None) -> str | None:
    """A locale as Babel spells it ("de-DE" → "de_DE"), or None if Babel doesn't know it."""
    if not name or len(name) > LOCALE_LIMIT or not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}", name):
        return None
    return _canonical_locale(name.replace("-", "_"))


@lru_cache(maxsize=512)
def _canonical_locale(name: str) -> str | None:
    from babel import Locale

    try:
        return str(Locale.parse(name))
    except Exception:  # noqa: BLE001 - UnknownLocaleError, ValueError: not a locale
        return None


def date_order(locale: str | None) -> str | None:
    """"DMY", "MDY" or "YMD" from the locale's short date pattern (de_DE "dd.MM.yy" → DMY)."""
    name = canonical_locale(locale)
    return _date_order(name) if name else None


@lru_cache(maxsize=512)
def _date_order(name: str) -> str | None:
    from babel import Locale

    try:
        pattern = re.sub(r"'[^']*'", "", Locale.parse(name).date_formats["short"].pattern)
    except Exception:  # noqa: BLE001
        return None
    positions = {"D": pattern.find("d"), "M": pattern.find("M"), "Y": pattern.find("y")}
    if min(positions.values()) < 0:
        return None
    return "".join(sorted(positions, key=positions.__getitem__))


def looks_like_date(phrase: str) -> bool:
    """Whether text after "by" is meant as a date ("friday", "5 dec", "fridya")
    rather than words of the title ("by the kitchen")."""
    for word in re.findall(r"[a-z]+|\d+", phrase.lower()):
        if word in _SKIP_WORDS and word not in DATE_WORDS:
            continue
        if word[0].isdigit() or word in DATE_WORDS:
            return True
        if word == "in":
            return bool(re.match(r"\s*in\s+(?:\d|an?\b|one\b|two\b|three\b|a\s+few\b)", phrase.lower()))
        return len(word) >= 4 and bool(difflib.get_close_matches(word, DATE_WORDS, n=1, cutoff=0.8))
    return False


_BY = re.compile(r"(?:^|\s)by\s+", re.I)
_TRAILING = re.compile(rf"(?:^|\s+)(in\s+(?:\d+|an?|one|two|three)\s*{_UNIT}|asap|a\.s\.a\.p\.?)\s*$", re.I)


def split_due(text: str) -> tuple[str, str | None]:
    """`/ask` text → (what, when): "laptop by friday" → ("laptop", "friday");
    "laptop in 2 days" and "laptop asap" too; "chair by the kitchen" has no date."""
    for match in reversed(list(_BY.finditer(text))):
        when = text[match.end():].strip()
        if "\n" not in when and len(when) <= PHRASE_LIMIT and looks_like_date(when):
            return text[:match.start()].rstrip(), when
    trailing = _TRAILING.search(text)
    if trailing and "\n" not in trailing.group(1):
        return text[:trailing.start()].rstrip(), trailing.group(1).strip()
    return text, None


def parse_when(phrase: str, *, now: datetime, tz: str, end_of_day: time = time(17, 0), order: str | None = None,
               horizon: timedelta = DEFAULT_HORIZON) -> ParsedDate:
    """Read `phrase` as a moment in the future, in time zone `tz`.

    Args:
        phrase: what the person typed after "by" (or after "snooze").
        now: the present moment.
        tz: the person's zone, which a date without a zone is read in.
        end_of_day: the time of day a date without one means.
        order: the person's order of day and month ("DMY", "MDY", "YMD"), None if unknown.
        horizon: how far ahead a date may be.

    Raises:
        DateNotUnderstood: nothing date-like in `phrase`.
        DateInPast: it names a moment before `now`.
        DateTooFar: it names a moment beyond `now + horizon`.
        DateImpossible: it names a time or day that doesn't exist.
        DateAmbiguous: it reads as more than one moment.
        WeekdayMismatch: its weekday and its date disagree.
    """
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    cleaned = " ".join(phrase.split())
    if not cleaned or len(cleaned) > PHRASE_LIMIT:
        raise DateNotUnderstood(phrase)
    end = _END_OF.match(cleaned)
    if end:
        unit = end.group(1).lower()
        if unit == "day":
            day = local_now.date()
        elif unit == "week":
            day = local_now.date() + timedelta(days=(4 - local_now.weekday()) % 7)
        else:
            last = calendar.monthrange(local_now.year, local_now.month)[1]
            day = local_now.date().replace(day=last)
        moment = datetime.combine(day, end_of_day, zone)
        return _checked(ParsedDate(moment.astimezone(timezone.utc), False), now, horizon)
    _check_times(cleaned)
    _check_relative(cleaned, horizon)
    cleaned = _numeric_dates(cleaned, today=local_now.date(), order=order)
    cleaned = _ordinals(cleaned, today=local_now.date())
    _check_years(cleaned, today=local_now.date(), horizon=horizon)
    _check_bare_numbers(cleaned)
    try:
        parsed = dateparser.parse(
            cleaned,
            languages=["en"],
            settings={
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": local_now.replace(tzinfo=None),
                "TIMEZONE": tz,
                "TO_TIMEZONE": "UTC",
                "RETURN_AS_TIMEZONE_AWARE": True,
            },
        )
    except OverflowError:
        raise DateTooFar(phrase) from None
    except Exception:  # noqa: BLE001 - dateparser fails in its own ways on odd text
        raise DateNotUnderstood(phrase) from None
    if parsed is None:
        raise DateNotUnderstood(phrase)
    if parsed.year > local_now.year + horizon.days // 365 + 1:
        raise DateTooFar(phrase)
    if parsed.year < local_now.year - 1:
        raise DateInPast(phrase)
    had_time = bool(_HAS_TIME.search(cleaned))
    if not had_time and not _RELATIVE.search(cleaned):
        local_day = parsed.astimezone(zone).date()
        parsed = datetime.combine(local_day, end_of_day, zone)
    _check_weekday(cleaned, parsed.astimezone(zone).date())
    return _checked(ParsedDate(parsed.astimezone(timezone.utc), had_time), now, horizon)


def _checked(result: ParsedDate, now: datetime, horizon: timedelta) -> ParsedDate:
    if result.moment <= now:
        raise DateInPast(result.moment.isoformat())
    if result.moment > now + horizon:
        raise DateTooFar(result.moment.isoformat())
    return result


def _check_times(phrase: str) -> None:
    for match in _AMPM.finditer(phrase):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59 or (match.group(2) is not None and len(match.group(2)) != 2):
            raise DateImpossible(match.group(0).strip())
    for match in _CLOCK.finditer(phrase):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59 or len(match.group(2)) != 2:
            raise DateImpossible(match.group(0))


_UNIT_DAYS = {"min": 1 / 1440, "h": 1 / 24, "hr": 1 / 24, "hou": 1 / 24, "d": 1, "day": 1, "w": 7, "wk": 7, "wee": 7,
              "mon": 31, "yea": 366}


def _check_relative(phrase: str, horizon: timedelta) -> None:
    """"in 100000 days" is too far before dateparser adds it up (and overflows)."""
    for match in _IN.finditer(phrase):
        amount, unit = match.group(1), match.group(2).lower()
        if len(amount) > 7:
            raise DateTooFar(match.group(0))
        per_unit = _UNIT_DAYS.get(unit[:3]) or _UNIT_DAYS.get(unit[:2]) or _UNIT_DAYS.get(unit[:1], 1)
        if float(amount) * per_unit > horizon.total_seconds() / 86400:
            raise DateTooFar(match.group(0))


def _check_years(phrase: str, *, today: date, horizon: timedelta) -> None:
    for match in _ISO_DAY.finditer(phrase):
        year = int(match.group(1))
        if year < today.year - 1:
            raise DateInPast(match.group(0))
        if year > today.year + horizon.days // 365 + 1:
            raise DateTooFar(match.group(0))
        try:
            date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise DateImpossible(match.group(0)) from None


def _numeric_dates(phrase: str, *, today: date, order: str | None) -> str:
    """Numeric dates in `phrase` rewritten as ISO days, read in `order`."""

    def rewrite(match: re.Match[str]) -> str:
        first, _, second, third = match.groups()
        token = match.group(0)
        if len(first) == 4:
            if third is None:
                raise DateNotUnderstood(token)
            return f"{first}-{int(second):02d}-{int(third):02d}"
        if third is not None and len(third) not in (2, 4):
            raise DateImpossible(token)
        day_first = _readings(int(first), int(second), third, today=today, day_first=True)
        month_first = _readings(int(first), int(second), third, today=today, day_first=False)
        if order == "DMY":
            found = day_first or month_first
        elif order in {"MDY", "YMD"}:
            found = month_first or day_first
        else:
            found = day_first if day_first == month_first else (day_first or month_first)
            if day_first and month_first and day_first != month_first:
                raise DateAmbiguous(token, (day_first, month_first))
        if found is None:
            raise DateImpossible(token)
        return found.isoformat()

    return _NUMERIC.sub(rewrite, phrase)


def _ordinals(phrase: str, *, today: date) -> str:
    """"5th dec" → "5 dec"; "the 5th" alone → the next 5th of a month, as an ISO day
    (dateparser reads ordinals without a month as any day of any month)."""
    has_month = any(w in _MONTH_WORDS for w in re.findall(r"[a-z]+", phrase.lower()))

    def rewrite(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if has_month:
            return str(number)
        if not 1 <= number <= 31:
            raise DateImpossible(match.group(0))
        year, month = today.year, today.month
        for _ in range(13):
            if number <= calendar.monthrange(year, month)[1] and date(year, month, number) >= today:
                return date(year, month, number).isoformat()
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        raise DateImpossible(match.group(0))

    return re.sub(r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b", rewrite, phrase, flags=re.I)


def _readings(a: int, b: int, year_text: str | None, *, today: date, day_first: bool) -> date | None:
    day, month = (a, b) if day_first else (b, a)
    if year_text is not None:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for year in range(today.year, today.year + 9):  # the next 29 February is at most 8 years off
        try:
            candidate = date(year, month, day)
        except ValueError:
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                return None
            continue
        if candidate >= today:
            return candidate
    return None


def _check_bare_numbers(phrase: str) -> None:
    """A number that is neither part of a date, a time, "in N days", a year nor a
    day next to a month's name ("friday 17", "tomorrow at 3") is refused."""
    rest = _ISO_DAY.sub(" ", phrase)
    rest = _AMPM.sub(" ", rest)
    rest = _CLOCK.sub(" ", rest)
    rest = _IN.sub(" ", rest)
    words = re.findall(r"[a-z]+|\d+(?:\.\d+)?", rest.lower())
    for i, word in enumerate(words):
        if not word[0].isdigit():
            continue
        if len(word) == 4 and word.isdigit():
            continue  # a year
        neighbours = {w for w in words[max(0, i - 2):i + 2] if w != word}
        if neighbours & _MONTH_WORDS:
            continue  # "5 dec", "dec 5", "5 of december"
        raise DateAmbiguous(word)


def _check_weekday(phrase: str, day: date) -> None:
    named = {_WEEKDAY_WORDS[w] for w in re.findall(r"[a-z]+", phrase.lower()) if w in _WEEKDAY_WORDS}
    has_date = (bool(_ISO_DAY.search(phrase))
                or any(w in _MONTH_WORDS for w in re.findall(r"[a-z]+", phrase.lower())))
    if named and has_date and day.weekday() not in named:
        raise WeekdayMismatch(day)


def describe(moment: datetime, tz: str, *, now: datetime | None = None) -> str:
    """A moment as a person reads it in their zone: "Fri 27 Nov, 17:00 (EST)"."""
    local = moment.astimezone(ZoneInfo(tz))
    label = local.strftime("%a %-d %b")
    if now is not None and local.year != now.astimezone(ZoneInfo(tz)).year:
        label += local.strftime(" %Y")
    return f"{label}, {local:%H:%M} ({local.tzname()})"


def describe_day(day: date, *, today: date | None = None) -> str:
    """A date with its weekday: "Sat 5 Dec" ("Sat 5 Dec 2027" in another year)."""
    label = day.strftime("%a %-d %b")
    return label + day.strftime(" %Y") if today is not None and day.year != today.year else label


def describe_span(delta: timedelta) -> str:
    """A duration in words a nudge can use: "3 h 20 min", "2 days 1 h"."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if mins and not days:
        parts.append(f"{mins} min")
    return " ".join(parts) or "less than a minute"
