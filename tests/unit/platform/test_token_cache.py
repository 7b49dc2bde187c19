"""A token verified once is kept, but its expiry is checked on every use and a refused token
is never kept (enclave_shared.auth.decode_token)."""

from __future__ import annotations

import time

import jwt
import pytest
from enclave_shared.auth import Role, decode_token, issue_token
from enclave_shared.keys import public_key_of, read_or_create_private_key


@pytest.fixture
def keys(tmp_path):
    private = read_or_create_private_key(tmp_path / "token.pem")
    return private, public_key_of(private)


def test_a_kept_token_expires_on_time(keys, monkeypatch):
    private, public = keys
    token = issue_token(private, Role.ASSESSOR, sub="a1", ttl_s=60)
    assert decode_token(public, token).sub == "a1"
    assert decode_token(public, token).role is Role.ASSESSOR  # kept: the same answer
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(jwt.ExpiredSignatureError):
        decode_token(public, token)


def test_a_refused_token_stays_refused_and_a_kept_one_is_per_key(keys, tmp_path):
    private, public = keys
    token = issue_token(private, Role.ADMIN)
    decode_token(public, token)
    head, body, signature = token.split(".")
    forged = f"{head}.{body}.{signature[:-4]}AAAA"
    for _ in range(2):
        with pytest.raises(jwt.InvalidTokenError):
            decode_token(public, forged)
    other = public_key_of(read_or_create_private_key(tmp_path / "other.pem"))
    with pytest.raises(jwt.InvalidTokenError):
        decode_token(other, token)  # verified under one key, not under another
