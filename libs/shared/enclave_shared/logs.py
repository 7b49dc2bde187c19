"""Logs, one record a line, with the correlation id of the request or event at hand.

On a terminal (`make run`) a line for people: time, service, level, message, correlation id,
coloured. Otherwise (a pipe, a file, a container's log collector) one JSON object a line.
`LOG_FORMAT=json|text` chooses either way (`auto`, the default, picks by the terminal);
`NO_COLOR` turns the colours off. Read from the environment here rather than the service's
settings: a process has one log format whatever the service, and it is needed before the
settings are.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import zlib
from typing import IO, Literal

from enclave_shared.context import correlation_id

Format = Literal["json", "text"]
FORMATS = ("json", "text", "auto")

RESET = "\x1b[0m"
DIM = "\x1b[2m"
LEVEL_COLOURS = {
    "DEBUG": "\x1b[2;37m",
    "INFO": "\x1b[32m",
    "WARNING": "\x1b[33m",
    "ERROR": "\x1b[31m",
    "CRITICAL": "\x1b[1;41;97m",
}
# A service keeps its colour from run to run (a hash of its name, not the order of start).
SERVICE_COLOURS = ("\x1b[36m", "\x1b[35m", "\x1b[34m", "\x1b[96m", "\x1b[95m", "\x1b[94m")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        corr = correlation_id.get()
        if corr:
            entry["correlationid"] = corr
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Formats a record as one line for people: `time service LEVEL message [corr] logger`."""

    def __init__(self, service: str, *, colour: bool) -> None:
        super().__init__()
        self.service = service
        self.colour = colour
        self.service_colour = SERVICE_COLOURS[zlib.crc32(service.encode()) % len(SERVICE_COLOURS)]

    def _paint(self, text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if self.colour else text

    def format(self, record: logging.LogRecord) -> str:
        when = self.formatTime(record, "%H:%M:%S") + f".{int(record.msecs):03d}"
        level = record.levelname
        parts = [
            self._paint(when, DIM),
            self._paint(f"{self.service:<10}", self.service_colour),
            self._paint(f"{level:<8}", LEVEL_COLOURS.get(level, "")),
            record.getMessage(),
        ]
        corr = correlation_id.get()
        if corr:
            parts.append(self._paint(f"[{corr}]", DIM))
        parts.append(self._paint(record.name, DIM))
        line = " ".join(parts)
        if record.exc_info:
            # The traceback under its line, indented, so the next record still starts a line.
            trace = self.formatException(record.exc_info).replace("\n", "\n    ")
            line += "\n    " + trace
        return line


def chosen_format(stream: IO[str], wanted: str | None = None) -> Format:
    """The format for a stream: LOG_FORMAT's (or `wanted`), or text on a terminal, else JSON."""
    value = (wanted if wanted is not None else os.environ.get("LOG_FORMAT", "auto")).lower()
    if value not in FORMATS:
        raise ValueError(f"LOG_FORMAT is one of {', '.join(FORMATS)}, not {value!r}")
    if value == "auto":
        return "text" if _is_terminal(stream) else "json"
    return "json" if value == "json" else "text"


def formatter_for(service: str, stream: IO[str], wanted: str | None = None) -> logging.Formatter:
    """The formatter a service's log stream gets (see the module's docstring)."""
    if chosen_format(stream, wanted) == "json":
        return JsonFormatter(service)
    colour = _is_terminal(stream) and "NO_COLOR" not in os.environ
    return TextFormatter(service, colour=colour)


def configure_logging(service: str, level: str, stream: IO[str] | None = None) -> None:
    """Send the logs to stderr (or `stream`); called once by the service's entry point."""
    out = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter_for(service, out))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for chatty in ("aiokafka", "alembic"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    # uvicorn gives its loggers handlers of their own: its lines come out in the same format.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if logger.handlers:
            logger.handlers[:] = [handler]


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
