"""The container files, checked without building an image (our machines can't):
the Dockerfile installs with scripts/setup like everyone else, copies every
package the distribution ships, runs `tandem serve` as a non-root user and
checks /healthz; compose.yaml runs PostgreSQL and two replicas on it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_image_is_slim_python_and_installs_the_way_scripts_setup_does(dockerfile: list[tuple[str, str]]) -> None:
    base = [args for op, args in dockerfile if op == "FROM"]
    assert len(base) == 1 and re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", base[0])
    assert [args for op, args in dockerfile if op == "RUN"][-1] == "scripts/setup"
    copied = " ".join(args for op, args in dockerfile if op == "COPY")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for package in project["tool"]["setuptools"]["packages"]["find"]["include"]:
        assert f"{package.rstrip('*')}/" in copied, f"the image misses {package}"
    for needed in ("pyproject.toml", "README.md", "LICENSE", "scripts/"):
        assert needed in copied


def test_the_image_serves_as_a_non_root_user_with_a_healthcheck(dockerfile: list[tuple[str, str]]) -> None:
    ops = [op for op, _ in dockerfile]
    user = [args for op, args in dockerfile if op == "USER"]
    assert user and user[-1] not in {"root", "0"}
    assert ops.index("USER") > max(i for i, op in enumerate(ops) if op == "RUN")  # installed as root, run as not
    health = [args for op, args in dockerfile if op == "HEALTHCHECK"]
    assert len(health) == 1 and "/healthz" in health[0]
    assert [args for op, args in dockerfile if op == "CMD"][-1] == '["/app/.venv/bin/tandem", "serve"]'
    assert "TANDEM_HOST=0.0.0.0" in " ".join(args for op, args in dockerfile if op == "ENV")


def test_compose_runs_postgresql_and_two_replicas_on_it(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["db"]["image"].startswith("postgres:")
    replicas = [s for name, s in services.items() if name != "db"]
    assert len(replicas) == 2
    ports = set()
    for replica in replicas:
        assert replica["build"] == "."
        assert replica["depends_on"]["db"]["condition"] == "service_healthy"
        url = replica["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql://") and "@db:5432/" in url
        ports.update(replica["ports"])
    assert len(ports) == 2  # each replica on its own host port
    assert "pg_isready" in services["db"]["healthcheck"]["test"]


def test_compose_sets_only_variables_tandem_reads(compose: dict[str, Any]) -> None:
    from adapters.config import Config, variable

    known = {variable(field) for field in Config.model_fields}
    for name, service in compose["services"].items():
        if name != "db":
            assert set(service["environment"]) <= known, set(service["environment"]) - known
