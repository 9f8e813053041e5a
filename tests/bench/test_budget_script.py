"""bench/budget.py still runs: it measures bare bolt's acks, the calls out and a
transaction of eight statements, and puts the floor they make against the CPU
budget benchmark 1's targets leave one process."""

from __future__ import annotations

from tests.bench.scripts import run_script

ROUNDING = 0.005  # every figure is printed to 2 decimals: each may be off by half a hundredth


def _ms(cell: str) -> float:
    return float(cell.split(" ms", 1)[0])


def test_the_budget_benchmark_adds_up_its_floor_and_checks_it_against_the_budget(postgres_reason: str | None) -> None:
    rows = run_script("budget.py", "--requests", "60", "--calls", "60")
    acks = float(rows["bare bolt acks per second at concurrency 32"][0])
    ack = _ms(rows["bare bolt server CPU per ack"][0])
    post, reply = (float(part.strip(" ms")) for part in
                   rows["client CPU per chat.postMessage (slack_sdk) / per response_url POST (aiohttp)"][0].split("/"))
    http = _ms(rows["HTTP floor per command: one ack, one reply, two Web API calls"][0])
    assert acks > 0 and min(ack, post, reply) > 0
    assert abs(http - (ack + 2 * post + reply)) <= 5 * ROUNDING + 1e-9  # the floor is the sum of what was measured
    budget = _ms(rows["budget for 0.3 of bare bolt's acks on one core (1 s / completed per second)"][0])
    assert abs(budget - 1000 / (0.3 * acks)) / budget < 0.02
    assert rows["budget at 200 commands/s on one core (before any headroom for p99)"][0] == "5.00 ms"
    for database in ("SQLite",) if postgres_reason else ("SQLite", "PostgreSQL"):
        transaction = _ms(rows[f"{database}: one transaction of 8 one-row statements (SQLAlchemy Core)"][0])
        floor = _ms(rows[f"{database}: floor per command (HTTP floor + that transaction)"][0])
        assert transaction > 0 and abs(floor - (http + transaction)) <= 3 * ROUNDING + 1e-9
        ratio, target, verdict = rows[f"{database}: floor / budget for 0.3 of bare bolt's acks"]
        assert target == "<= 1: reachable by one process"
        assert verdict == ("ok" if float(ratio) <= 1 else "MISSED")
        assert _ms(rows[f"{database}: Tandem's core per /kudos or /ask (run_command, no HTTP)"][0]) > transaction
