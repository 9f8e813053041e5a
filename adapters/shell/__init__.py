"""The terminal adapter: Tandem in a terminal, one command a line.

In the terminal a person is their NAME and `@NAME` mentions them; it is how
Tandem runs with no platform credentials, and how sessions are scripted."""
