"""`enclave report dispatch`: the console's own dispatch, built outside a request — the
console's settings say where the services answer and hold the signing key; the command signs
a short district-leader token for itself and writes the .docx or the .xlsx."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import httpx
from enclave_shared.auth import Role, Site, issue_token

from services.console import i18n
from services.console.clients import Services
from services.console.config import ConsoleSettings
from services.console.dispatch import Dispatch, build, parse_month
from services.console.dispatch_documents import docx_bytes, xlsx_bytes

FORMATS = (".docx", ".xlsx")
REPORT_SUB = "enclave-report"  # the token's subject: the services' audit names the command
TOKEN_TTL_S = 300


async def read_dispatch(month: date, settings: ConsoleSettings) -> Dispatch:
    """The month's dispatch read from the services with a district leader's token."""
    token = issue_token(
        settings.signing_key(),
        Role.DISTRICT_LEADER,
        sub=REPORT_SUB,
        site=Site.DISTRICT,
        ttl_s=TOKEN_TTL_S,
    )
    async with httpx.AsyncClient(timeout=settings.service_timeout_s) as http:
        return await build(Services.for_token(http, settings.service_urls(), token), month)


def write_report(
    month: str, out: Path, *, lang: str = i18n.DEFAULT, settings: ConsoleSettings | None = None
) -> Dispatch:
    """Build the month's dispatch as a district leader and write it to `out` (the format by
    its extension). ValueError for a bad month or extension, or when a service did not
    answer (nothing is written then: a 通报 is not sent with parts missing)."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"the file must end in {' or '.join(FORMATS)}: {out.name}")
    first = parse_month(month)
    d = asyncio.run(read_dispatch(first, settings or ConsoleSettings(service="console")))
    if d.unavailable:
        raise ValueError(f"not answered: {', '.join(d.unavailable)}; nothing written")
    t = i18n.translations(lang).gettext
    out.write_bytes(docx_bytes(d, lang, t) if suffix == ".docx" else xlsx_bytes(d, lang, t))
    return d
