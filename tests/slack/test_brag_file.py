"""`/kudos mine export` in Slack: the brag file arrives as two files in the
person's DM, through files.getUploadURLExternal, the upload and
files.completeUploadExternal on the mock Web API."""

from __future__ import annotations

from tests.slack.conftest import ANA, BOB, CAT, SlackHarness


async def test_the_brag_file_is_shared_in_your_dm(sqlite_slack: SlackHarness) -> None:
    await sqlite_slack.command(ANA, f"/kudos <@{BOB}|bob> thanks for the migration")
    await sqlite_slack.command(CAT, f"/kudos <@{BOB}|bob> for the late-night fix")
    for _ in range(3):
        sqlite_slack.clock.advance(seconds=2)
        await sqlite_slack.deliver()
    sqlite_slack.api.clear()
    await sqlite_slack.command(BOB, "/kudos mine export")
    assert "Your kudos file (2 kudos, Markdown and CSV)" in sqlite_slack.last_reply_text()
    assert len(sqlite_slack.api.of("files.getUploadURLExternal")) == 2
    [shared] = sqlite_slack.api.of("files.completeUploadExternal")
    assert shared["channel_id"] == f"D{BOB}" and "Your kudos, 2 received" in shared["initial_comment"]
    uploaded = {content.decode().splitlines()[0] for content in sqlite_slack.api.uploads.values()}
    assert uploaded == {"# Kudos for Bob Stone", "date,from,why,values,request"}
    assert not [m for m in sqlite_slack.api.of("chat.postMessage") if not m["channel"].startswith("D")]
