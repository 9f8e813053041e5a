"""The Slack adapter: Tandem's commands, forms and buttons in Slack, through
slack-bolt's `AsyncApp`, on the same HTTP listener as the rest of `tandem serve`.

Inbound payloads become neutral commands, button presses and forms
(`handlers.py`, with `tokens.py` for message text and `directory.py` for who
is who), neutral messages become Block Kit (`blocks.py`, `modals.py`) and
replies reach the person through `answers.py`; outbox notifications reach
Slack through `SlackPort` (`port.py`). `app.py` wires it all into the aiohttp
app.
"""

PLATFORM = "slack"
