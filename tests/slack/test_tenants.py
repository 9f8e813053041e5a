"""Who a Slack payload belongs to: a workspace, or for an org-wide Enterprise
Grid install the org, so one person is one person across its workspaces; and
which message a button press was on."""

from __future__ import annotations

from types import SimpleNamespace

from adapters.slack.handlers import message_ref, tenant_of


def test_a_workspace_install_is_its_own_tenant() -> None:
    context = SimpleNamespace(team_id="T1", enterprise_id="E1", is_enterprise_install=False)
    assert tenant_of(context, {}) == "T1"


def test_an_org_wide_enterprise_grid_install_is_one_tenant_for_all_its_workspaces() -> None:
    for team in ("T1", "T2"):
        context = SimpleNamespace(team_id=team, enterprise_id="E1", is_enterprise_install=True)
        assert tenant_of(context, {}) == "E1"


def test_a_press_names_the_message_it_was_on_for_the_cores_idempotency_rules() -> None:
    on_message = {"container": {"type": "message", "message_ts": "1.1", "channel_id": "C1"}}
    in_modal = {"container": {"type": "view", "view_id": "V9"}}
    assert message_ref(on_message) == "C1:1.1"
    assert message_ref({"container": {"message_ts": "1.1", "channel_id": "C2"}}) != message_ref(on_message)
    assert message_ref(in_modal) == "view:V9"
    assert message_ref({}) is None
