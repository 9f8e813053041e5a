"""Public holiday calendars, by code: "DE", "DE-BY", "US-CA", "GB-SCT".

The `holidays` package knows the holidays of every country and region it
lists; this module only checks a code a lead typed against that list, spells
it the package's way, and looks a year's holidays up once (cached, so the
working-time walk asks a dictionary, not the package, for each day). A lookup
the package cannot answer (a year it has no rules for) counts as no holidays:
the clock must never stop because of a calendar.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays

log = logging.getLogger(__name__)

CODE_LIMIT = 40
_EMPTY: Mapping[date, str] = MappingProxyType({})


class UnknownHolidayCalendar(ValueError):
    """The code names no country, or no region of its country, that `holidays` knows.

    Attributes:
        country: the country's code when the country is known but the region is not.
        regions: that country's regions, to list in the reply.
    """

    def __init__(self, code: str, *, country: str | None = None, regions: tuple[str, ...] = ()) -> None:
        super().__init__(code)
        self.code = code
        self.country = country
        self.regions = regions


@lru_cache(maxsize=1)
def _supported() -> dict[str, tuple[str, ...]]:
    return {country.upper(): tuple(regions) for country, regions in holidays.list_supported_countries().items()}


def canonical(code: str) -> str:
    """`code` spelt the package's way ("de-by" → "DE-BY"), or UnknownHolidayCalendar.

    A country and a region are joined by "-" (also accepted: "_", "/", a space).
    """
    cleaned = code.strip()
    if not cleaned or len(cleaned) > CODE_LIMIT:
        raise UnknownHolidayCalendar(cleaned[:CODE_LIMIT])
    for separator in ("_", "/", " "):
        cleaned = cleaned.replace(separator, "-")
    country, _, region = cleaned.partition("-")
    supported = _supported()
    regions = supported.get(country.upper())
    if regions is None:
        raise UnknownHolidayCalendar(cleaned)
    if not region:
        return country.upper()
    for known in regions:
        if known.lower() == region.lower():
            return f"{country.upper()}-{known}"
    raise UnknownHolidayCalendar(cleaned, country=country.upper(), regions=regions)


def holidays_in(code: str | None, year: int) -> Mapping[date, str]:
    """The holidays of calendar `code` in `year`, date → name (English where the package has it)."""
    if not code or not 1900 <= year <= 2200:
        return _EMPTY
    return _holidays_in(code, year)


@lru_cache(maxsize=1024)
def _holidays_in(code: str, year: int) -> Mapping[date, str]:
    country, _, region = code.partition("-")
    try:
        found = holidays.country_holidays(country, subdiv=region or None, years=year)
        if "en_US" in (found.supported_languages or ()):
            found = holidays.country_holidays(country, subdiv=region or None, years=year, language="en_US")
        return MappingProxyType(dict(found))
    except Exception as error:  # noqa: BLE001 - an unanswerable year or a code the package dropped
        log.warning("no holidays for %s in %s: %s", code, year, error)
        return _EMPTY


def holiday_on(code: str | None, day: date) -> str | None:
    """The name of the holiday on `day` in calendar `code`, or None."""
    return holidays_in(code, day.year).get(day)


def next_holiday(code: str | None, after: date) -> tuple[date, str] | None:
    """The first holiday on or after `after` within a year, for `/tandem team show`."""
    for year in (after.year, after.year + 1):
        upcoming = sorted((d, name) for d, name in holidays_in(code, year).items() if d >= after)
        if upcoming:
            return upcoming[0]
    return None
