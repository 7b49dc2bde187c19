"""The assessment's use cases, one module per area: `schemes` (versions), `manual` (manual
indicators), `facts` (indicators counted from events), `results` (the assessment and its
publication), and `years` (a year's lock and freeze, which every writer takes).

Keyword-only functions over an `OutboxSession`, called by the routes and the consumers
alike; the writers record their events with `session.record(...)`; none commits.
"""

from services.assessment.handlers.facts import count_facts, list_facts, revise
from services.assessment.handlers.manual import enter_manual, list_manual, replay_manual_entry
from services.assessment.handlers.results import get_assessment, publish
from services.assessment.handlers.schemes import (
    get_scheme,
    list_scheme_versions,
    put_scheme,
    replay_scheme_version,
)

__all__ = [
    "count_facts",
    "enter_manual",
    "get_assessment",
    "get_scheme",
    "list_facts",
    "list_manual",
    "list_scheme_versions",
    "publish",
    "put_scheme",
    "replay_manual_entry",
    "replay_scheme_version",
    "revise",
]
