"""The `enclave` command: mint tokens, run the whole system, write the event docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from enclave_shared.auth import Role, issue_token
from enclave_shared.settings import ServiceSettings

app = typer.Typer(help="Talent enclave platform tools.", no_args_is_help=True)


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="the caller's role")],
    sub: Annotated[str | None, typer.Option(help="subject: user or enterprise id")] = None,
    site: Annotated[str | None, typer.Option(help="site claim, e.g. shenzhen or shangrao")] = None,
    ttl: Annotated[int | None, typer.Option(help="seconds the token is valid")] = None,
) -> None:
    """Print a bearer token valid for the running system (same key and data folder)."""
    settings = ServiceSettings()
    typer.echo(
        issue_token(
            settings.signing_key(), role, sub=sub, site=site, ttl_s=ttl or settings.token_ttl_s
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
