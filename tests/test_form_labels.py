"""Every form's fields read right on every platform: Slack's modals and the
terminal mark an optional field "(optional)" themselves and a Teams card marks
the required ones, so no label says it again ("A note for the requester
(optional) (optional)")."""

from __future__ import annotations

from bot.core import Tandem
from bot.registry import registry
from tests.helpers import press
from tests.test_permission_table import FORMS, PERSONAS, build_world


def test_no_form_label_says_optional_itself(core: Tandem) -> None:
    build_world(core.engine)
    opened: set[str] = set()
    for form_id, (metadata, _values) in FORMS.items():
        for persona in PERSONAS:  # the first who may open it
            reply = core.run_action(press(persona, "form.open", f"{form_id}:{metadata}", key=f"{persona}-{form_id}"))
            if reply.form is not None:
                opened.add(form_id)
                for field in reply.form.inputs:
                    assert "optional" not in field.label.lower(), f"{form_id}: {field.label!r}"
                break
    assert opened == set(registry.forms)  # every form was looked at
