"""A team's own list of causes: kept by its lead, every `cause:` at close
checked against it with near-misses suggested, an empty `cause:` refused."""

from __future__ import annotations

import pytest

from bot.core import Tandem
from tests.helpers import command, ok, say
from tests.test_assign_and_move import desk, request  # noqa: F401  (the fixture)
from tests.test_permission_table import fingerprint


def test_the_lead_keeps_the_list_and_a_close_takes_a_cause_from_it(desk: Tandem) -> None:  # noqa: F811
    ok(desk, "alice", "/tandem team edit it causes add missing-docs duplicate")
    assert "missing-docs, duplicate" in say(desk, "kim", "/tandem team show it")
    ok(desk, "kim", "/requests 1 done sent the guide cause:Missing-Docs")
    assert request(desk).cause == "missing-docs"
    ok(desk, "alice", "/tandem team edit it causes remove duplicate")
    assert "Causes: missing-docs" in say(desk, "kim", "/tandem team show it")
    ok(desk, "alice", "/tandem team edit it causes off")
    assert "any tag (no list)" in say(desk, "kim", "/tandem team show it")


@pytest.mark.parametrize("line, says", [
    ("/requests 1 done cause:misisng-docs", "“misisng-docs” isn't one of IT Help's causes. Did you mean "
                                            "cause:missing-docs?"),
    ("/requests 1 done fixed cause:", "`cause:` needs a tag after it"),
    ("/requests 1 done cause:printer", "Causes: missing-docs, duplicate."),
    ("/requests 1 done cause:#!", "isn't a cause tag"),
])
def test_a_cause_off_the_list_or_empty_is_refused_and_changes_nothing(desk: Tandem, line: str,  # noqa: F811
                                                                     says: str) -> None:
    ok(desk, "alice", "/tandem team edit it causes add missing-docs duplicate")
    before = fingerprint(desk.engine)
    assert not desk.run_command(command("kim", line)).ok
    assert says in say(desk, "kim", line)
    assert fingerprint(desk.engine) == before and request(desk).status == "open"


def test_an_empty_cause_is_refused_even_without_a_list(desk: Tandem) -> None:  # noqa: F811
    assert "`cause:` needs a tag" in say(desk, "kim", "/requests 1 done cause:")
    ok(desk, "kim", "/requests 1 done cause:anything-goes")
    assert request(desk).cause == "anything-goes"


@pytest.mark.parametrize("value, says", [
    ("causes add", "causes add missing-docs"),
    ("causes add bad!tag", "isn't a cause tag"),
    ("causes remove nope", "“nope” isn't on IT Help's list of causes"),
])
def test_bad_cause_lists_are_refused(desk: Tandem, value: str, says: str) -> None:  # noqa: F811
    before = fingerprint(desk.engine)
    assert says in say(desk, "alice", f"/tandem team edit it {value}")
    assert fingerprint(desk.engine) == before
