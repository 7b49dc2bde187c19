"""Which failures are worth retrying in place (the database or the network, not the event).

Sorted by what the database says it was: PostgreSQL's SQLSTATE, SQLite's result code.
A deadlock, a serialization failure, a statement or lock timeout, a lost connection or a
full disk pass; a schema error ("no such column"), bad data or a broken constraint would
fail again however often it were retried.
"""

from __future__ import annotations

from aiokafka.errors import KafkaError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

TRANSIENT_SQLSTATES = frozenset(
    {
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available
        "57014",  # query_canceled: statement_timeout
        "57P01",  # admin_shutdown
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now
        "25006",  # read_only_sql_transaction: a standby, until the failover completes
        "55000",  # object_not_in_prerequisite_state: "not currently accepting connections"
    }
)
TRANSIENT_SQLSTATE_CLASSES = frozenset(
    {
        "08",  # connection exception
        "53",  # insufficient resources: disk full, out of memory, too many connections
        "58",  # system error: I/O
    }
)
TRANSIENT_SQLITE_CODES = frozenset(
    {
        5,  # SQLITE_BUSY
        6,  # SQLITE_LOCKED
        7,  # SQLITE_NOMEM
        10,  # SQLITE_IOERR
        13,  # SQLITE_FULL
        14,  # SQLITE_CANTOPEN
        15,  # SQLITE_PROTOCOL
    }
)


def is_transient(exc: BaseException) -> bool:
    """Whether retrying the same work later can succeed."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        sqlstate = getattr(exc.orig, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate:
            return sqlstate in TRANSIENT_SQLSTATES or sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES
        code = getattr(exc.orig, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF in TRANSIENT_SQLITE_CODES
        return isinstance(exc, OperationalError | InterfaceError)
    return isinstance(exc, OSError | TimeoutError | ConnectionError | KafkaError)
