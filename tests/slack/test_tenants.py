"""Who a Slack payload belongs to: a workspace, or for an org-wide Enterprise
Grid install the org, so one person is one person across its workspaces; and
which interactions count as "the same click"."""

from __future__ import annotations

from types import SimpleNamespace

from adapters.slack.handlers import action_key, tenant_of


def test_a_workspace_install_is_its_own_tenant() -> None:
    context = SimpleNamespace(team_id="T1", enterprise_id="E1", is_enterprise_install=False)
    assert tenant_of(context, {}) == "T1"


def test_an_org_wide_enterprise_grid_install_is_one_tenant_for_all_its_workspaces() -> None:
    for team in ("T1", "T2"):
        context = SimpleNamespace(team_id=team, enterprise_id="E1", is_enterprise_install=True)
        assert tenant_of(context, {}) == "E1"


def _press(value: str, action_ts: str, *, action_id: str = "cmd|0", message_ts: str = "1.1") -> dict:
    return {"container": {"message_ts": message_ts}, "actions": [{"action_id": action_id, "value": value,
                                                                  "action_ts": action_ts}]}


def test_a_second_rating_or_thanks_click_on_one_message_is_the_same_action() -> None:
    rate = "requests 4 rate 5"
    assert action_key(_press(rate, "1"), "cmd", rate) == action_key(_press(rate, "2"), "cmd", rate)
    assert action_key(_press("4", "1"), "kudos.thank", "4") == action_key(_press("4", "2"), "kudos.thank", "4")
    assert action_key(_press(rate, "1"), "cmd", rate) != action_key(_press(rate, "1", message_ts="2.2"), "cmd", rate)


def test_moving_a_request_again_later_is_a_new_action() -> None:
    reopen = "requests 4 reopen"
    assert action_key(_press(reopen, "1"), "cmd", reopen) != action_key(_press(reopen, "2"), "cmd", reopen)
