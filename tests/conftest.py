"""Fixtures: one broker and one database server per run; per test its own topics and databases.

With KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL set, the suite runs against that broker and
PostgreSQL server; otherwise it starts the embedded broker and uses SQLite files.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from enclave_shared.kafka import EmbeddedBroker, free_port
from enclave_shared.keys import public_key_of, read_or_create_private_key
from enclave_shared.settings import Profile, ServiceSettings

from tests.support import create_database, drop_databases, unique

SettingsFactory = Callable[..., Awaitable[ServiceSettings]]

if os.environ.get("KAFKA_SASL_CREDENTIALS_DIR"):
    # The configured broker wants SASL (scripts/kafka.sh prints where its passwords are):
    # the suite connects as its superuser, so services, helpers and CLI subprocesses
    # (which read these from the environment) all authenticate. The per-service users and
    # their ACLs are tested in tests/platform/test_kafka_acls.py.
    os.environ.setdefault("KAFKA_SASL_USERNAME", "admin")
    os.environ.setdefault(
        "KAFKA_SASL_PASSWORD_FILE",
        str(Path(os.environ["KAFKA_SASL_CREDENTIALS_DIR"]) / "admin.password"),
    )


# The hotlines the tests start (in-process, the console's stack, `make run`'s subprocesses)
# count working time on a test calendar of their own: the years after chinesecalendar's last
# one as plain weekdays (test data, not a State Council notice), so the suite does not depend
# on the package knowing the current year. Tests of the calendar running out give their own.
TEST_CALENDAR = Path(__file__).parent / "hotline" / "calendar-test-years.json"
os.environ["HOTLINE_CALENDAR_FILE"] = str(TEST_CALENDAR)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sasl: needs Apache Kafka with SASL and ACLs (scripts/kafka.sh; KAFKA_SASL_CREDENTIALS_DIR"
        " set), run in CI's second pass",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    needs = {
        "real_only": (
            os.environ.get("KAFKA_RESTART_CMD"),
            "restarts Apache Kafka: run with KAFKA_RESTART_CMD set",
        ),
        "postgres_pass": (
            os.environ.get("DATABASE_URL"),
            "a slow suite run once, in CI's PostgreSQL pass: run with DATABASE_URL set",
        ),
        "sasl": (
            os.environ.get("KAFKA_SASL_CREDENTIALS_DIR"),
            "Apache Kafka with SASL: run with KAFKA_SASL_CREDENTIALS_DIR set",
        ),
    }
    for marker, (present, reason) in needs.items():
        if present:
            continue
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)
    # `make test` hands the files to its workers in this order (xdist's reordering by test
    # count turned off): the files marked `long` first, so that no worker ends the run alone on one.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def _print_pending_tasks(title: str) -> None:
    """Every asyncio task's stack, for a test that hangs while its loop still runs (the
    thread stacks pytest-timeout prints then show only the loop waiting in select)."""
    for _ in range(3):  # the set of tasks may change under us: read it again
        try:
            tasks = list(asyncio.tasks._all_tasks)
            break
        except RuntimeError:
            continue
    else:
        return
    print(f"+++ {title}: {len(tasks)} asyncio tasks +++", file=sys.stderr)
    for task in tasks:
        if task.done():
            continue
        # A suspended task's own stack is one frame: follow what each coroutine awaits.
        print(f"task {task.get_name()}:", file=sys.stderr)
        awaited: Any = task.get_coro()
        while awaited is not None:
            frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
            if frame is None:
                print(f"  awaiting {awaited!r}", file=sys.stderr)
                break
            code = frame.f_code
            print(f"  {code.co_filename}:{frame.f_lineno} {code.co_name}", file=sys.stderr)
            awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)


@pytest.fixture(autouse=True)
def _tasks_dumped_before_timeout(request: pytest.FixtureRequest) -> Iterator[None]:
    """Shortly before pytest-timeout fails a test, print where its asyncio tasks wait."""
    marker = request.node.get_closest_marker("timeout")
    timeout = float(marker.args[0] if marker and marker.args else request.config.getini("timeout"))
    timer = threading.Timer(
        max(timeout - 15, timeout * 0.9), _print_pending_tasks, args=(request.node.nodeid,)
    )
    timer.daemon = True
    timer.start()
    yield
    timer.cancel()


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """The broker for the whole run: the one configured, or the embedded one started here."""
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        yield configured
        return
    broker = EmbeddedBroker(port=free_port())
    broker.start()
    try:
        yield broker.bootstrap_servers
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def token_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The run's token key pair (private, public), as the console and services get them."""
    folder = tmp_path_factory.mktemp("keys")
    private = folder / "token.pem"
    public = folder / "token.pub"
    public.write_text(public_key_of(read_or_create_private_key(private)))
    return private, public


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    """The PostgreSQL server URL, when the suite runs on the real profile."""
    return os.environ.get("DATABASE_URL") or None


@pytest.fixture
async def new_database(
    postgres_url: str | None, tmp_path: Path
) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """Make a fresh, empty database for a service: a SQLite file or a PostgreSQL database."""
    created: list[str] = []

    async def make(name: str) -> str:
        if postgres_url is None:
            return f"sqlite+aiosqlite:///{tmp_path / unique(name + '_')}.db"
        db, url = await create_database(postgres_url, f"t_{name}_")
        created.append(db)
        return url

    yield make
    if postgres_url is not None and created:
        await drop_databases(postgres_url, created)


@pytest.fixture
def topic_prefix() -> str:
    """Topics and consumer groups of one test, apart from every other test's."""
    return unique("t")


@pytest.fixture
def make_settings(
    kafka_bootstrap: str,
    postgres_url: str | None,
    new_database: Callable[[str], Awaitable[str]],
    topic_prefix: str,
    tmp_path: Path,
    token_keys: tuple[Path, Path],
) -> SettingsFactory:
    """Settings for a service under test: this test's topics, a fresh database."""

    async def make(
        service: str,
        *,
        database_url: str | None = None,
        settings_class: type[ServiceSettings] = ServiceSettings,
        **overrides: object,
    ) -> ServiceSettings:
        values: dict[str, object] = {
            "service": service,
            "profile": Profile.REAL if postgres_url else Profile.EMBEDDED,
            "data_dir": tmp_path / "data",
            "database_url": database_url or await new_database(service),
            "kafka_bootstrap_servers": kafka_bootstrap,
            "topic_prefix": topic_prefix,
            "jwt_private_key_file": token_keys[0],
            "jwt_public_key_file": token_keys[1],
            "outbox_poll_s": 0.5,
            "retry_backoff_max_s": 0.5,
        }
        values.update(overrides)
        if values["kafka_bootstrap_servers"] != kafka_bootstrap:
            values.setdefault("kafka_security_protocol", "PLAINTEXT")  # a test's own broker
        return settings_class(**values)  # type: ignore[arg-type]

    return make
