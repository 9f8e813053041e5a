"""Bot tokens at rest: encrypted with TANDEM_SECRET_KEY, readable through a
key rotation, re-encrypted under the new key by `tandem rotate-tokens`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.engine import Engine

from adapters.config import ConfigError, load
from storage import slack_installations
from storage.token_crypto import PREFIX, TokenCipher

TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
REFRESH = "xoxe-1-" + "a" * 140  # refresh tokens are long: revision 0701 made room for them encrypted


def _store(engine: Engine, cipher: TokenCipher | None) -> None:
    seal = cipher.encrypt if cipher else (lambda v: v)
    with engine.begin() as connection:
        connection.execute(sa.insert(slack_installations.slack_bots).values(
            client_id="111.222", app_id="A1", team_id="T1", bot_token=seal(TOKEN), bot_refresh_token=seal(REFRESH),
            bot_id="B1", bot_user_id="U1", is_enterprise_install=False, installed_at=sa.func.now()))


def _stored(engine: Engine) -> tuple[str, str]:
    with engine.connect() as connection:
        row = connection.execute(sa.select(slack_installations.slack_bots.c.bot_token,
                                           slack_installations.slack_bots.c.bot_refresh_token)).one()
    return row[0], row[1]


def test_a_key_rotation_keeps_tokens_readable_and_rotate_tokens_moves_them_to_the_new_key(engine: Engine) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    _store(engine, TokenCipher(old))
    token, refresh = _stored(engine)
    assert token.startswith(PREFIX) and TOKEN not in token and REFRESH not in refresh
    rotated = TokenCipher(f"{new},{old}")  # the new key first, the old one still accepted
    assert slack_installations.bot_token(engine, client_id="111.222", tenant="T1", cipher=rotated) == TOKEN
    assert slack_installations.rotate_tokens(engine, rotated) == 1
    only_new = TokenCipher(new)
    assert slack_installations.bot_token(engine, client_id="111.222", tenant="T1", cipher=only_new) == TOKEN
    assert only_new.decrypt(_stored(engine)[1]) == REFRESH
    with pytest.raises(InvalidToken):
        TokenCipher(old).decrypt(_stored(engine)[0])


def test_tokens_stored_before_encryption_are_read_and_then_encrypted(engine: Engine) -> None:
    _store(engine, None)
    cipher = TokenCipher(Fernet.generate_key().decode())
    assert slack_installations.bot_token(engine, client_id="111.222", tenant="T1", cipher=cipher) == TOKEN
    assert slack_installations.rotate_tokens(engine, cipher) == 1
    assert _stored(engine)[0].startswith(PREFIX)
    assert slack_installations.bot_token(engine, client_id="111.222", tenant="T1", cipher=cipher) == TOKEN


def test_oauth_without_a_secret_key_is_refused_at_start() -> None:
    with pytest.raises(ConfigError, match="TANDEM_SECRET_KEY must be set when SLACK_CLIENT_ID is"):
        load({"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x" * 32})
    with pytest.raises(ConfigError, match="TANDEM_SECRET_KEY must be one or more Fernet keys"):
        load({"TANDEM_SECRET_KEY": "not-a-key"})
    key = Fernet.generate_key().decode()
    assert load({"SLACK_CLIENT_ID": "111.222", "TANDEM_SECRET_KEY": f"{key}, {key}"}).secret_key
