"""`tandem teams-package`: an uploadable zip with the manifest (bot id from
TEAMS_APP_ID, commands for the personal and team scopes) and both icons."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from adapters import cli
from adapters.teams.package import PLACEHOLDER, TEAMS_DIR
from tests.teams.conftest import APP_ID

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "MicrosoftTeams.v1.19.schema.json").read_text())


def test_the_manifest_template_is_valid_against_microsofts_schema() -> None:
    template = (TEAMS_DIR / "manifest.json").read_text()
    data = json.loads(template.replace(PLACEHOLDER, APP_ID))
    assert data["$schema"].endswith(f"/v{data['manifestVersion']}/MicrosoftTeams.schema.json")
    jsonschema.validate(data, SCHEMA)
    broken = json.loads(json.dumps(data).replace('"groupChat"', '"groupchat"'))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)  # the schema really checks what we got wrong before


def test_teams_package_writes_a_zip_ready_to_upload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID.upper())
    out = tmp_path / "tandem-teams.zip"
    assert cli.main(["teams-package", "--out", str(out), "--domain", "tandem.example.org"]) == 0
    assert "Upload" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))
    assert manifest["manifestVersion"] == "1.19"
    jsonschema.validate(manifest, SCHEMA)
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert "${{" not in json.dumps(manifest)
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    [commands] = manifest["bots"][0]["commandLists"]
    assert {"personal", "team"} <= set(commands["scopes"])
    assert [c["title"] for c in commands["commands"]] == ["kudos", "ask", "requests", "tandem"]
    assert all(len(c["title"]) <= 32 and 0 < len(c["description"]) <= 128 for c in commands["commands"])
    assert "tandem.example.org" in manifest["validDomains"]
    assert color.size == (192, 192) and outline.size == (32, 32)
    assert outline.mode == "RGBA" and outline.getpixel((0, 0))[3] == 0  # transparent around a white mark
    assert {pixel[:3] for pixel in getattr(outline, "get_flattened_data", outline.getdata)() if pixel[3]} == {(255, 255, 255)}


def test_teams_package_without_a_proper_app_id_explains_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", "my-bot")
    out = tmp_path / "tandem-teams.zip"
    assert cli.main(["teams-package", "--out", str(out)]) == 2
    assert "TEAMS_APP_ID must be the bot's Microsoft App ID" in capsys.readouterr().err
    assert not out.exists()


def test_the_icons_in_the_repo_have_the_sizes_teams_wants() -> None:
    teams_dir = Path(__file__).resolve().parents[2] / "teams"
    assert Image.open(teams_dir / "color.png").size == (192, 192)
    assert Image.open(teams_dir / "outline.png").size == (32, 32)
