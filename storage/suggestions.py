"""Suggestions to a team (revision 0802): ideas and feedback that are not requests.

Anonymity is a storage guarantee, not a display choice: an anonymous
`suggestion` row has `suggester_id = NULL`, so nothing that reads the team's
suggestions (the lead's list, the digest, an export) can learn who wrote it.
How to tell the suggester of the answer lives apart, in
`suggestion_reply_route`, read only by `bot.services.suggestions.tell_suggester`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Suggestion(SQLModel, table=True):
    """One idea for a team; `suggester_id` is NULL when it was sent anonymously."""

    id: Optional[int] = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    suggester_id: Optional[int] = Field(default=None, foreign_key="person.id")
    anonymous: bool = False
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="open", max_length=20)  # open | answered | accepted | declined
    answer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    answered_by_id: Optional[int] = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    answered_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class SuggestionReplyRoute(SQLModel, table=True):
    """Who to tell when a suggestion is answered, kept out of `suggestion`.

    Read only by the code that tells the suggester
    (`bot.services.suggestions.tell_suggester`); never listed, never shown.
    """

    __tablename__ = "suggestion_reply_route"
    suggestion_id: int = Field(foreign_key="suggestion.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id")
