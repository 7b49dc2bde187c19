"""The `enclave` command: mint tokens, run the whole system, write the event docs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from enclave_shared.auth import HOME, Role, Site, issue_token
from enclave_shared.errors import DomainError
from enclave_shared.settings import ServiceSettings

app = typer.Typer(help="Talent enclave platform tools.", no_args_is_help=True)


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="the caller's role")],
    sub: Annotated[str | None, typer.Option(help="subject: user or enterprise id")] = None,
    site: Annotated[
        Site | None, typer.Option(help="site claim (default: where the role's staff work)")
    ] = None,
    ttl: Annotated[int | None, typer.Option(help="seconds the token is valid")] = None,
) -> None:
    """Print a bearer token valid for the running system (same key and data folder)."""
    settings = ServiceSettings()
    typer.echo(
        issue_token(
            settings.signing_key(),
            role,
            sub=sub,
            site=site or HOME,
            ttl_s=ttl or settings.token_ttl_s,
        )
    )


@app.command()
def run() -> None:
    """Start the embedded broker and the four services; Ctrl-C stops them in order."""
    from enclave_shared.launcher import run_system

    raise typer.Exit(run_system())


@app.command()
def asyncapi(
    out: Annotated[Path, typer.Option(help="folder to write the documents into")] = Path(
        "docs/events"
    ),
) -> None:
    """Write each service's AsyncAPI document and the catalog's JSON Schemas."""
    from enclave_shared import catalog
    from enclave_shared.asyncapi import asyncapi_document, payload_schema
    from enclave_shared.launcher import SERVICES, load_spec

    out.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        spec = load_spec(name)
        doc = asyncapi_document(name, list(spec.handlers))
        (out / f"{name}.asyncapi.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False))
    schemas = {m.event_type: payload_schema(m) for m in catalog.ALL_EVENTS}
    (out / "catalog.schema.json").write_text(json.dumps(schemas, indent=2, ensure_ascii=False))
    typer.echo(f"wrote {len(SERVICES)} AsyncAPI documents and the catalog to {out}")


@app.command()
def migration(
    service: Annotated[str, typer.Argument(help="the service whose models changed")],
    message: Annotated[str, typer.Option("-m", "--message", help="what the revision does")],
) -> None:
    """Autogenerate a migration for a service from its models (review it before committing)."""
    from enclave_shared.launcher import load_spec
    from enclave_shared.migrations import new_revision

    spec = load_spec(service)
    new_revision(spec.migrations, spec.metadata, service, message)


@app.command()
def migrate(service: Annotated[str, typer.Argument(help="the service whose database")]) -> None:
    """Bring a service's database to its newest migration (the Kubernetes migration Job)."""
    from enclave_shared import backup

    backup.migrate(service)
    typer.echo(f"{service}: database migrated")


@app.command("backup")
def backup_command(
    service: Annotated[str, typer.Argument(help="the service whose database")],
    out: Annotated[Path, typer.Option("--out", help="an empty folder for the backup")],
) -> None:
    """Back a service's database up, while it runs (SQLite online backup, or pg_dump)."""
    import asyncio

    from enclave_shared import backup
    from enclave_shared.launcher import load_spec

    settings = backup.settings_for(service)
    consumes = backup.consumed_topics(load_spec(service), settings)
    try:
        manifest = asyncio.run(backup.backup(settings, out, consumes))
    except DomainError as exc:
        raise _refused(exc) from None
    typer.echo(f"{service}: {manifest.database} backup in {out / manifest.file}")


@app.command("restore")
def restore_command(
    service: Annotated[str, typer.Argument(help="the service whose database")],
    source: Annotated[Path, typer.Option("--from", help="a folder made by `enclave backup`")],
    replace: Annotated[
        bool, typer.Option("--replace", help="drop what the database holds first")
    ] = False,
) -> None:
    """Restore a service's database from a backup; stop the service first."""
    import asyncio

    from enclave_shared import backup

    try:
        done = asyncio.run(backup.restore(backup.settings_for(service), source, replace=replace))
    except DomainError as exc:
        raise _refused(exc) from None
    typer.echo(
        f"{service}: restored the backup of {done.manifest.taken_at}; "
        f"{done.offsets_rewound} partition offset(s) set back to it, "
        f"{done.marked_published} outbox event(s) found on the topic already"
    )


user_app = typer.Typer(
    help="Console user accounts (the console's database, from the console's settings).",
    no_args_is_help=True,
)
app.add_typer(user_app, name="user")

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="read the password from the first line of stdin")
]


def _password_from_stdin(given: bool) -> str:
    # Never a command-line argument: it would stay in the shell history and the process list.
    if not given:
        raise typer.BadParameter("pass the password on stdin with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise typer.BadParameter("no password on stdin")
    return password


def _refused(exc: Exception) -> typer.Exit:
    typer.echo(f"refused: {exc}", err=True)
    return typer.Exit(1)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="sign-in name: lower-case letters, digits . _ -")],
    role: Annotated[Role, typer.Option(help="the user's role")],
    password_stdin: PasswordStdin = False,
    site: Annotated[str | None, typer.Option(help="shenzhen, shangrao or district")] = None,
    enterprise: Annotated[
        str | None, typer.Option(help="enterprise account id (enterprise users only)")
    ] = None,
    name: Annotated[str | None, typer.Option(help="display name")] = None,
) -> None:
    """Add a console user; the password is read from stdin."""
    from services.console import accounts

    password = _password_from_stdin(password_stdin)
    if site is not None and site not in {s.value for s in Site}:
        raise typer.BadParameter("site is shenzhen, shangrao or district", param_hint="--site")
    try:
        user = accounts.add(
            username,
            role=role,
            password=password,
            site=Site(site) if site else None,
            enterprise_id=enterprise,
            display_name=name,
        )
    except DomainError as exc:
        raise _refused(exc) from None
    typer.echo(f"added {user.username} ({user.role})")


@user_app.command("list")
def user_list() -> None:
    """List the console's users."""
    from services.console import accounts

    for user in accounts.list_all():
        status = "active" if user.active else "disabled"
        typer.echo(
            f"{user.username}\t{user.role}\t{user.site or '-'}\t{user.enterprise_id or '-'}"
            f"\t{status}\t{user.display_name}"
        )


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Argument(help="the user to disable")]) -> None:
    """Disable a user: no more sign-ins, and its open sessions end."""
    from services.console import accounts

    try:
        accounts.disable(username)
    except DomainError as exc:
        raise _refused(exc) from None
    typer.echo(f"disabled {username}")


@user_app.command("passwd")
def user_passwd(
    username: Annotated[str, typer.Argument(help="the user whose password is set")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password (read from stdin); it also lifts a lockout."""
    from services.console import accounts

    password = _password_from_stdin(password_stdin)
    try:
        accounts.set_password(username, password)
    except DomainError as exc:
        raise _refused(exc) from None
    typer.echo(f"password set for {username}")


dlq_app = typer.Typer(help="A service's dead letters: see them, and replay them once fixed.")
app.add_typer(dlq_app, name="dlq")


@dlq_app.command("list")
def dlq_list(service: Annotated[str, typer.Argument(help="the service whose consumer")]) -> None:
    """Every dead letter of the service, with its reason."""
    import asyncio

    from enclave_shared.dead_letters import read_dead_letters

    settings = ServiceSettings(service=service)
    letters = asyncio.run(read_dead_letters(settings))
    for d in letters:
        what = d.event_type or "(not an event)"
        cut = f"  [truncated: {d.truncated}]" if d.truncated else ""
        typer.echo(f"{d.offset}\t{d.event_id or '-'}\t{what}\t{d.original_topic}\t{d.reason}{cut}")
    typer.echo(
        f"{len(letters)} dead letter(s) on {ServiceSettings(service=service).dead_letter_topic}"
    )


@dlq_app.command("replay")
def dlq_replay(
    service: Annotated[str, typer.Argument(help="the service whose consumer")],
    ids: Annotated[list[str] | None, typer.Option("--id", help="an event id (repeatable)")] = None,
    every: Annotated[bool, typer.Option("--all", help="every dead letter")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="say what would be sent")] = False,
    wait: Annotated[float, typer.Option(help="seconds to watch for failures again")] = 10.0,
) -> None:
    """Send chosen dead letters back to their original topic (the inbox makes it safe)."""
    import asyncio

    from enclave_shared.dead_letters import replay

    if not ids and not every:
        raise typer.BadParameter("give --id ID (one or more) or --all")
    settings = ServiceSettings(service=service)
    report = asyncio.run(replay(settings, ids=ids or [], every=every, dry_run=dry_run, wait_s=wait))
    verb = "would replay" if dry_run else "replayed"
    typer.echo(f"{verb} {len(report.replayed)}: {' '.join(report.replayed)}")
    if report.not_replayable:
        typer.echo(f"not replayable (truncated): {len(report.not_replayable)}")
    if not dry_run:
        typer.echo(f"still failing: {len(report.still_failing)} {' '.join(report.still_failing)}")
    raise typer.Exit(1 if report.still_failing else 0)


report_app = typer.Typer(help="Reports read from the running system.", no_args_is_help=True)
app.add_typer(report_app, name="report")


@report_app.command("dispatch")
def report_dispatch(
    month: Annotated[str, typer.Option(help="the month, YYYY-MM")],
    out: Annotated[Path, typer.Option(help="the file to write: .docx (通报) or .xlsx")],
    lang: Annotated[str, typer.Option(help="zh-CN or en")] = "zh-CN",
) -> None:
    """The district secretary's dispatch of a month, as the console builds it (its settings:
    the services' URLs and the signing key), signed as a district leader."""
    from services.console.dispatch_report import write_report

    try:
        write_report(month, out, lang=lang)
    except ValueError as exc:
        raise _refused(exc) from None
    typer.echo(f"wrote the dispatch of {month} to {out}")
