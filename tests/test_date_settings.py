"""The two settings dates are read with: TANDEM_HORIZON_DAYS (how far ahead a
due date or snooze may be) and TANDEM_LOCALE (the organisation's order of day
and month, for people whose platform doesn't say)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.config import load


def test_the_horizon_and_locale_are_read_from_the_environment() -> None:
    assert (load({}).horizon_days, load({}).locale) == (365, None)
    config = load({"TANDEM_HORIZON_DAYS": "30", "TANDEM_LOCALE": "de-DE"})
    assert (config.horizon_days, config.locale) == (30, "de-DE")


@pytest.mark.parametrize("value", ["0", "-5", "abc", "3651", "9" * 5000, "١٢"])
def test_a_horizon_that_is_not_a_sane_number_of_days_is_refused_at_start(value: str) -> None:
    with pytest.raises(ValueError, match="TANDEM_HORIZON_DAYS must be a whole number of days from 1 to 3650"):
        load({"TANDEM_HORIZON_DAYS": value})


def test_tandem_chat_reads_dates_with_the_configured_locale_and_horizon(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/tandem.db", "TANDEM_TIMEZONE": "UTC",
           "TANDEM_LOCALE": "de-DE", "TANDEM_HORIZON_DAYS": "30"}
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAMS_APP_ID"):
        env.pop(name, None)
    script = '/tandem team add it "IT Help"\n/ask it a thing by 1.2.\n/ask it another thing by in 45 days\n'
    result = subprocess.run([sys.executable, "-m", "adapters.cli", "chat", "--as", "alice"], input=script,
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    # without a locale 1.2. reads two ways and is refused; with de-DE it is the 1st of February (within the
    # 30 days or not, depending on today's date)
    assert "could be" not in result.stdout
    assert "(read from “1.2.”)" in result.stdout or "“1.2.” is too far ahead" in result.stdout
    assert "“in 45 days” is too far ahead: I keep dates within 30 days" in result.stdout
