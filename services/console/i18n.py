"""Languages: zh-CN first, English one click away; gettext catalogs read from the .po files.

The catalogs are compiled in memory at start-up (Babel), so a fresh clone needs no build step.
Message ids are English; the zh_CN catalog translates every one of them. It is one .po file
per area of the console (console.po for the frame, enclave.po, intake.po, …), merged at
start-up; a message id two files translate differently is an error."""

from __future__ import annotations

import io
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "console"
DEFAULT = "zh-CN"
LANGUAGES = {"zh-CN": "中文", "en": "English"}
LANG_COOKIE = "enclave_lang"
_CATALOG_DIR = {"zh-CN": "zh_CN"}  # English is the message ids themselves


@cache
def translations(lang: str) -> NullTranslations:
    """The gettext translations of a language (the message ids for English)."""
    folder = _CATALOG_DIR.get(lang)
    if folder is None:
        return NullTranslations()
    catalog = None
    for path in sorted((LOCALE_DIR / folder / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as po:
            part = read_po(po, locale=folder)
        if catalog is None:
            catalog = part
            continue
        for message in part:
            known = catalog.get(message.id) if message.id else None
            if known is not None and known.string != message.string:
                raise ValueError(f"{path.name} translates {message.id!r} otherwise")
            if message.id:
                catalog[message.id] = message
    if catalog is None:
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def chosen(cookie: str | None) -> str:
    """The language a request asked for by cookie, or the default."""
    return cookie if cookie in LANGUAGES else DEFAULT


def load_all() -> None:
    """Read every catalog now, so a broken .po fails the start-up instead of a page."""
    for lang in LANGUAGES:
        translations(lang)
