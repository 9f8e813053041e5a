"""The rules of the domain, free of chat: clocks, working time, due dates,
the request lifecycle, people and the outbox."""
