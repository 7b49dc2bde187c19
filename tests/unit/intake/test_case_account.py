"""A case's enterprise account as an event: set, changed or cleared, each sent once as
CaseAccountAssigned in the change's own transaction; the same account again sends nothing."""

from __future__ import annotations

from enclave_shared.catalog.intake import CaseAccountAssigned

from services.intake import models
from services.intake.handlers import cases
from tests.unit.intake.factories import opened
from tests.unit.support import committed_events, staged


async def test_each_change_of_a_case_account_is_sent_and_the_same_account_is_not(sessions_for):
    async with sessions_for(models.Base.metadata) as sessions:
        case = await opened(sessions, "p-1")  # no enterprise named: no account yet
        for account in ("ent-a", "ent-a", "ent-b", None, None):
            async with sessions() as session:
                row = await cases.get_case(session, case_id=case.id, for_update=True)
                before = row.enterprise_account
                cases.set_account(session, case=row, enterprise_account=account)
                assert len(staged(session)) == (0 if account == before else 1)
                await session.commit()
        events = await committed_events(sessions)
    sent = [e.data for e in events if e.type == CaseAccountAssigned.event_type]
    assert sent == [
        {"case_id": case.id, "project_id": "p-1", "enterprise_account": account}
        for account in ("ent-a", "ent-b", None)
    ]
