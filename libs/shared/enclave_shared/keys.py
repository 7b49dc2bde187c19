"""The token key pair: Ed25519, PEM-encoded. Only the console and the CLI hold the private key."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def public_key_of(private_pem: str) -> str:
    """The public half of a private key, as PEM."""
    key = _private_key(private_pem)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def checked_public_key(pem: str, source: str) -> str:
    """The PEM if it holds an Ed25519 public key; a clear error naming `source` if not."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise ValueError(f"{source} holds no PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{source} is not an Ed25519 public key")
    return pem


def checked_private_key(pem: str, source: str) -> str:
    """The PEM if it holds an Ed25519 private key; a clear error naming `source` if not."""
    try:
        _private_key(pem)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from exc
    return pem


def read_or_create_private_key(path: Path) -> str:
    """The private key in `path`, made there first if absent (0600, in a 0700 folder).

    Written to a temporary file and linked into place, so no reader sees a half-written
    key and two processes starting at once end up with the same one."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pem = (
            Ed25519PrivateKey.generate()
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            .decode()
        )
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(pem)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    return checked_private_key(path.read_text(), str(path))


def _private_key(pem: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError("no unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key
