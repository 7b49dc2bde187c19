"""`make demo`: the source's first half-year through the public APIs of a running system.

Runs against `make run` by default (ports 8001-8004, tokens signed with the key in the
data folder); any other deployment with `--<service>-url` / `<SERVICE>_URL` and
`--token-key` / `ENCLAVE_JWT_PRIVATE_KEY_FILE`. Exit status: 0 every figure agrees, 1 a figure
differs or a step failed, 2 refused (the period holds data of an unfinished run or of
something else).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from enclave_shared.auth import Role, issue_token
from enclave_shared.settings import EMBEDDED_KEY_FILE, ServiceSettings
from rich.console import Console
from rich.markup import escape

from tests.e2e import plan, readback, scenario
from tests.e2e.scenario import Auth, ScenarioError, Services

PORTS = {"incubation": 8001, "intake": 8002, "hotline": 8003, "assessment": 8004}
EXIT_OK, EXIT_DIFFERS, EXIT_REFUSED = 0, 1, 2


def token_auth(private_key: str) -> Auth:
    """Headers minted with the deployment's signing key, one token per role and account."""
    cache: dict[tuple[str, str | None], dict[str, str]] = {}

    def auth(role: str, sub: str | None = None) -> dict[str, str]:
        key = (role, sub)
        if key not in cache:
            token = issue_token(private_key, Role(role), sub=sub or f"demo-{role}")
            cache[key] = {"Authorization": f"Bearer {token}"}
        return cache[key]

    return auth


def signing_key(given: Path | None) -> str:
    """The private key given, configured (ENCLAVE_JWT_PRIVATE_KEY_FILE) or `make run`'s."""
    if given:
        return given.read_text()
    settings = ServiceSettings()
    if settings.jwt_private_key_file is None:
        path = settings.data_dir / EMBEDDED_KEY_FILE
        if not path.exists():  # do not make one: the running services would not know it
            raise SystemExit(
                f"no signing key: {path} does not exist. Start `make run` from this folder "
                "(or set ENCLAVE_DATA_DIR to its data folder), or give --token-key."
            )
    return settings.signing_key()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="make demo", description=__doc__.splitlines()[0])
    for name, port in PORTS.items():
        env = f"{name.upper()}_URL"
        p.add_argument(
            f"--{name}-url",
            default=os.environ.get(env)
            or f"http://127.0.0.1:{os.environ.get(f'{name.upper()}_PORT', port)}",
            help=f"base URL of the {name} service (env {env}; default: make run's)",
        )
    p.add_argument(
        "--token-key",
        type=Path,
        default=os.environ.get("DEMO_TOKEN_KEY_FILE"),
        help="the token signing key, a PEM file (env DEMO_TOKEN_KEY_FILE or "
        "ENCLAVE_JWT_PRIVATE_KEY_FILE; default: the one make run made in the data folder)",
    )
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each event")
    p.add_argument("--verify-only", action="store_true", help="load nothing; read the figures back")
    return p.parse_args(argv)


async def demo(args: argparse.Namespace, console: Console) -> int:
    """The CLI's run: clients on the base URLs, tokens from the secret."""
    auth = token_auth(signing_key(args.token_key))
    async with (
        httpx.AsyncClient(base_url=args.incubation_url, timeout=30) as incubation,
        httpx.AsyncClient(base_url=args.intake_url, timeout=30) as intake,
        httpx.AsyncClient(base_url=args.hotline_url, timeout=30) as hotline,
        httpx.AsyncClient(base_url=args.assessment_url, timeout=30) as assessment,
    ):
        svc = Services(incubation, intake, hotline, assessment)
        return await run_demo(
            svc, auth, console, timeout=args.timeout, verify_only=args.verify_only
        )


async def run_demo(
    svc: Services, auth: Auth, console: Console, *, timeout: float, verify_only: bool = False
) -> int:
    """Load the scenario unless it is there already, then read the figures back."""
    started = time.monotonic()

    def say(message: str) -> None:
        console.print(f"[dim]{time.monotonic() - started:6.1f}s[/] " + escape(message))

    try:
        found = await scenario.state(svc, auth)
    except httpx.HTTPError as exc:
        console.print(f"[red]cannot reach the services ({exc!r}); is `make run` running?[/]")
        return EXIT_DIFFERS
    if verify_only:
        say("--verify-only: loading nothing")
    elif found == "complete":
        say("the scenario's data is there already (marker found): nothing loaded, verifying")
    elif found == "partial":
        console.print(
            f"[bold red]refused:[/] the period {plan.START} – {plan.END} already holds data, "
            "but not the scenario's end marker: an earlier run stopped half-way or other "
            "data is there. Loading again would double it. Start from empty data "
            "(`make clean`, then `make run`) and run `make demo` again, or pass "
            "--verify-only to read the figures as they are."
        )
        return EXIT_REFUSED
    else:
        say(f"loading the scenario {plan.START} – {plan.END} through the public APIs")
        try:
            await scenario.run(svc, auth, say, timeout=timeout)
        except (ScenarioError, httpx.HTTPError) as exc:
            console.print(f"[bold red]scenario failed:[/] {exc}")
            return EXIT_DIFFERS
    say("reading the figures back")
    rows, figures = await readback.verify(svc, auth, say, timeout=timeout)
    console.print(readback.table(rows, figures))
    differs = [r.figure for r in rows if not r.ok]
    if differs:
        console.print(f"[bold red]{len(differs)} figure(s) differ:[/] " + "; ".join(differs))
        return EXIT_DIFFERS
    say("every figure agrees with the source")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m tests.demo`."""
    args = parse(argv)
    return asyncio.run(demo(args, Console()))


if __name__ == "__main__":
    sys.exit(main())
