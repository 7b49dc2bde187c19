"""Logs: a readable coloured line per record on a terminal, JSON on a pipe or when asked."""

from __future__ import annotations

import io
import json
import logging
import os
import pty
import re
import subprocess
import sys

import pytest
from enclave_shared.context import correlation_id
from enclave_shared.logs import (
    JsonFormatter,
    TextFormatter,
    chosen_format,
    configure_logging,
    formatter_for,
)

pytestmark = pytest.mark.embedded_pass  # the same on either profile: run once (Makefile)

ANSI = re.compile(r"\x1b\[[0-9;]*m")

# A service process in miniature: configure its logs and write a record during a request.
SCRIPT = """
import logging
from enclave_shared.context import correlation_id
from enclave_shared.logs import configure_logging
configure_logging("intake", "INFO")
correlation_id.set("req-42")
logging.getLogger("services.intake").warning("case %s signed", "c1")
"""


def record(msg: str = "case %s signed", level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("services.intake", level, __file__, 1, msg, ("c1",), None)


def run_logging(stderr_is_terminal: bool, **env: str) -> str:
    """What the miniature service writes to its stderr: a terminal (a pty) or a pipe."""
    environ = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "NO_COLOR")}
    environ.update(env)
    if not stderr_is_terminal:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=environ, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stderr
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=environ, stderr=terminal, timeout=60
        )
        assert done.returncode == 0
        return os.read(controller, 65536).decode()
    finally:
        os.close(controller)
        os.close(terminal)


def test_on_a_terminal_one_coloured_readable_line():
    out = run_logging(stderr_is_terminal=True)
    assert "\x1b[" in out, "coloured"
    plain = ANSI.sub("", out).strip()
    assert len(plain.splitlines()) == 1
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d\.\d{3} intake +WARNING +case c1 signed \[req-42\] services\.intake",
        plain,
    ), plain


def test_on_a_pipe_json_lines():
    out = run_logging(stderr_is_terminal=False)
    entry = json.loads(out.strip())
    assert entry["service"] == "intake" and entry["level"] == "WARNING"
    assert entry["message"] == "case c1 signed" and entry["correlationid"] == "req-42"


def test_log_format_overrides_the_terminal_either_way():
    entry = json.loads(run_logging(stderr_is_terminal=True, LOG_FORMAT="json").strip())
    assert entry["message"] == "case c1 signed"
    text = run_logging(stderr_is_terminal=False, LOG_FORMAT="text")
    assert "\x1b[" not in text, "no colour where no terminal"
    assert "intake" in text and "WARNING" in text and "[req-42]" in text


def test_no_color_keeps_the_text_plain_on_a_terminal():
    out = run_logging(stderr_is_terminal=True, NO_COLOR="1")
    assert "\x1b[" not in out and "case c1 signed [req-42]" in out


def test_chosen_format_and_a_wrong_value(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert chosen_format(io.StringIO()) == "json"
    assert chosen_format(io.StringIO(), "TEXT") == "text"
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        chosen_format(io.StringIO())
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert isinstance(formatter_for("hotline", io.StringIO()), TextFormatter)


def test_text_line_levels_and_exceptions():
    fmt = TextFormatter("hotline", colour=True)
    token = correlation_id.set(None)
    try:
        info = fmt.format(record("ticket %s opened", logging.INFO))
        error = fmt.format(record("ticket %s lost", logging.ERROR))
    finally:
        correlation_id.reset(token)
    assert "\x1b[32mINFO" in info and "\x1b[31mERROR" in error
    assert "[" not in ANSI.sub("", info), "no correlation id outside a request"
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        failed = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info()
        )
    lines = TextFormatter("hotline", colour=False).format(failed).splitlines()
    assert lines[0].endswith("failed x") and all(line.startswith("    ") for line in lines[1:])
    assert "RuntimeError: boom" in lines[-1]


def test_configure_logging_routes_uvicorns_loggers_through_the_same_format(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    access = logging.getLogger("uvicorn.access")
    saved = (logging.getLogger().handlers[:], access.handlers[:], logging.getLogger().level)
    propagate = access.propagate
    access.handlers[:] = [logging.NullHandler()]
    stream = io.StringIO()
    try:
        configure_logging("console", "INFO", stream=stream)
        access.propagate = False
        access.warning("GET / 200")
        assert isinstance(access.handlers[0].formatter, JsonFormatter)
    finally:
        logging.getLogger().handlers[:], access.handlers[:] = saved[0], saved[1]
        logging.getLogger().setLevel(saved[2])
        access.propagate = propagate
    assert json.loads(stream.getvalue())["message"] == "GET / 200"
