"""`make demo`: the source's first half-year through the public APIs of a running system.

Runs against `make run` by default (ports 8001-8004, tokens signed with the key in the
data folder); any other deployment with `--<service>-url` / `<SERVICE>_URL` and
`--token-key` / `ENCLAVE_JWT_PRIVATE_KEY_FILE`. Exit status: 0 every figure agrees, 1 a figure
differs or a step failed, 2 refused (the period holds data of an unfinished run or of
something else).

Once the figures agree it makes one console account per role, `demo-<role>`, in the
console's database as `enclave user add` does (the console's settings: ENCLAVE_DATA_DIR,
DATABASE_URL, …), each with a random password printed once; an account that exists is
left as it is (`--no-accounts`: none).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
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
DEMO_PREFIX = "demo-"
# Where each demo account works; the enterprise account is the first directed project's
# target, whose case the demo settles (its `sub` is what the services show it).
DEMO_SITES = {
    Role.ENCLAVE_OPERATOR: "shenzhen",
    Role.ZONE_OFFICER: "shangrao",
    Role.ASSESSOR: "district",
    Role.DISTRICT_LEADER: "district",
}
DEMO_ENTERPRISE = plan.DIRECTED_TARGETS[0][0]


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
    p.add_argument(
        "--no-accounts",
        action="store_true",
        help="make no console accounts (default: demo-<role> for each role, once)",
    )
    return p.parse_args(argv)


def demo_accounts(console: Console) -> list[tuple[str, str | None]]:
    """One console account per role, `demo-<role>`, made as `enclave user add` makes one
    (services.console.accounts: the console's database from its settings, migrated first).
    Returns (username, password) — the password None for an account that existed."""
    from services.console import accounts, labels
    from services.console.identity import Site

    existing = {user.username for user in accounts.list_all()}
    made: list[tuple[str, str | None]] = []
    for role in Role:
        username = f"{DEMO_PREFIX}{role.value}"
        if username in existing:
            made.append((username, None))
            continue
        password = secrets.token_urlsafe(12)  # 16 characters; shown once, stored hashed
        site = DEMO_SITES.get(role)
        accounts.add(
            username,
            role=role,
            password=password,
            site=Site(site) if site else None,
            enterprise_id=DEMO_ENTERPRISE if role is Role.ENTERPRISE else None,
            display_name=f"演示·{labels.label(role.value, 'role', 'zh-CN')}",
        )
        made.append((username, password))
    console_url = f"http://127.0.0.1:{os.environ.get('CONSOLE_PORT', 8000)}"
    console.print(f"console accounts (sign in at {console_url}/login):")
    for username, shown in made:
        if shown is None:
            console.print(f"  {username:<24} exists already: left as it is")
        else:
            console.print(f"  {username:<24} password {escape(shown)}   (shown only once)")
    return made


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
    console = Console()
    status = asyncio.run(demo(args, console))
    if status == EXIT_OK and not args.no_accounts:
        try:
            demo_accounts(console)
        except Exception as exc:  # the figures stand; say why there are no accounts
            console.print(f"[bold red]console accounts not made:[/] {escape(repr(exc))}")
            return EXIT_DIFFERS
    return status


if __name__ == "__main__":
    sys.exit(main())
