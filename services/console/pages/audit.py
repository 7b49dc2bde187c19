"""The audit trail of a record, shown on its page: who (actor, role), what (the event, in
the user's words), when, and for a correction the fields it changed, before and after.

Any area shows it with one call and one line of template:

    "trail": audit.trail(services.incubation, "talent", talent_id, language(request)),
    {% from "_audit.html" import audit_trail with context %}{{ audit_trail(trail) }}

The call goes through `gather` with the page's other calls: a service that cannot be
reached, or refuses the caller the trail, leaves `trail` None and the macro says so."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.console import i18n, labels
from services.console.clients.base import ServiceClient

# A changed field's value shown through a labels.py kind (the field's own name is a kind
# too: industry_chain, layout_category, tie, formation, …); a record whose field of that
# name holds other codes names its own kind in ENTITY_VALUE_KINDS.
VALUE_KINDS = {
    "level": "talent_level",
    "track": "training_track",
    "kind": "agreement_kind",
    "status": "plan_item_status",
}
ENTITY_VALUE_KINDS = {
    "centre": {"kind": "centre_kind"},
    "rd_centre": {"kind": "rd_centre_kind"},
    "declaration": {"level": "programme_level", "outcome": "declaration_outcome"},
}


@dataclass(frozen=True)
class Change:
    """One field a correction changed, its values as the user reads them."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditLine:
    """One line of a record's history, in the user's words."""

    at: datetime
    actor: str
    role: str
    what: str
    action: str  # the event type, for the page's markup and tests
    reason: str | None = None
    changes: list[Change] = field(default_factory=list)


def action_label(action: str, lang: str) -> str:
    """An event type in words: its own label, else the record's and the verb's
    (`enclave.talent.corrected.v1` → 人才更正), else the type itself."""
    own = labels.LABELS["event_type"].get(action)
    if own is not None:
        return own[1] if lang == "en" else own[0]
    parts = action.split(".")
    if len(parts) == 4:
        entity, verb = parts[1], parts[2]
        known = labels.LABELS["audit_entity"].get(entity), labels.LABELS["audit_verb"].get(verb)
        if known[0] and known[1]:
            if lang == "en":
                return f"{known[0][1]} {known[1][1].lower()}"
            return known[0][0] + known[1][0]
    return action


def _value(name: str, raw: Any, lang: str, entity: str = "") -> str:
    if raw is None or raw == "":
        return "—"
    if isinstance(raw, bool):
        gettext = i18n.translations(lang).gettext
        return str(gettext("Yes") if raw else gettext("No"))
    if isinstance(raw, list):
        return "、".join(str(v) for v in raw) or "—"
    kind = ENTITY_VALUE_KINDS.get(entity, {}).get(name) or VALUE_KINDS.get(name, name)
    if kind in labels.LABELS:
        return labels.label(raw, kind, lang)
    return str(raw)


def line_of(entry: dict[str, Any], lang: str) -> AuditLine:
    """An entry of `GET /api/v1/audit` as the page shows it."""
    data = entry.get("data") or {}
    before, after = data.get("before"), data.get("after")
    entity = str(entry.get("entity") or "")
    changes = []
    if isinstance(before, dict) and isinstance(after, dict):
        changes = [
            Change(
                labels.label(name, "record_field", lang),
                _value(name, before.get(name), lang, entity),
                _value(name, after.get(name), lang, entity),
            )
            for name in after
        ]
    reason = data.get("reason")
    role = str(entry.get("role") or "system")
    return AuditLine(
        at=datetime.fromisoformat(str(entry["at"])),
        actor=str(entry.get("actor") or "—"),
        role=labels.label(role, "role" if role in labels.LABELS["role"] else "actor_role", lang),
        what=action_label(str(entry["action"]), lang),
        action=str(entry["action"]),
        reason=str(reason) if reason else None,
        changes=changes,
    )


async def trail(client: ServiceClient, entity: str, record_id: str, lang: str) -> list[AuditLine]:
    """The record's history from the service that keeps it, with the user's token."""
    return [line_of(entry, lang) for entry in await client.audit(entity, record_id)]
