"""The Slack adapter: Tandem's commands, forms and buttons in Slack, through
slack-bolt's `AsyncApp`, on the same HTTP listener as the rest of `tandem serve`.

Inbound payloads become neutral commands (`inbound.py`, `directory.py`),
neutral messages become Block Kit (`blocks.py`, `modals.py`), and outbox
notifications reach Slack through `SlackPort` (`port.py`). `app.py` wires it
all into the aiohttp app.
"""

PLATFORM = "slack"
