"""JSON logs, one object a line, with the correlation id of the request or event at hand."""

from __future__ import annotations

import json
import logging
import sys

from enclave_shared.context import correlation_id


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


def configure_logging(service: str, level: str) -> None:
    """Send JSON logs to stderr; called once by the service's entry point."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for chatty in ("aiokafka", "alembic"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
