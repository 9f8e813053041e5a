"""Bot tokens encrypted at rest: Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`).

TANDEM_SECRET_KEY holds one or more Fernet keys separated by commas. The first
encrypts; every one decrypts (`MultiFernet`), which is how a key is rotated:
put a new key first, keep the old ones after it until `tandem rotate-tokens`
has re-encrypted every stored token under the new key, then drop them.

A stored value is `fernet:<token>`; a value without the prefix is one stored
before encryption was switched on, read as it is and encrypted by the next
`tandem rotate-tokens`.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"


class SecretKeyError(ValueError):
    """TANDEM_SECRET_KEY is not a comma-separated list of Fernet keys."""


class TokenCipher:
    """Encrypts tokens for the database and decrypts them back."""

    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise SecretKeyError("no key")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in parts])
        except (ValueError, TypeError) as error:
            raise SecretKeyError(str(error)) from None

    def encrypt(self, value: str | None) -> str | None:
        if not value or value.startswith(PREFIX):
            return value
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, value: str | None) -> str | None:
        """The token; raises `InvalidToken` when no configured key opens it."""
        if not value or not value.startswith(PREFIX):
            return value
        return self._fernet.decrypt(value.removeprefix(PREFIX).encode()).decode()

    def rotate(self, value: str | None) -> str | None:
        """The value encrypted under the first key (a plain one is encrypted)."""
        if not value:
            return value
        if not value.startswith(PREFIX):
            return self.encrypt(value)
        return PREFIX + self._fernet.rotate(value.removeprefix(PREFIX).encode()).decode()


__all__ = ["PREFIX", "InvalidToken", "SecretKeyError", "TokenCipher"]
