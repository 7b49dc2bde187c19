"""Every page router of the console, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter

from services.console.pages import (
    admin,
    assessment,
    assessment_exports,
    assessment_manual,
    auth,
    dispatch,
    dispatch_meetings,
    enclave,
    enclave_backlog,
    enclave_declarations,
    enclave_party,
    enclave_people,
    enclave_plans,
    enclave_rd,
    enclave_record,
    enclave_records,
    enclave_stats,
    enclave_team,
    enterprise,
    home,
    hotline,
    hotline_corrections,
    hotline_directory,
    hotline_exports,
    hotline_ticket,
    intake,
    intake_support,
)

ROUTERS: list[APIRouter] = [
    auth.router,
    home.router,
    dispatch.router,
    dispatch_meetings.router,
    enclave.router,
    enclave_backlog.router,
    enclave_people.router,
    enclave_records.router,
    enclave_plans.router,
    enclave_stats.router,
    enclave_team.router,
    enclave_rd.router,
    enclave_declarations.router,
    enclave_party.router,
    enclave_record.router,  # after the lists: their /export.xlsx is not a record id
    intake.router,
    intake_support.router,
    hotline_corrections.router,  # before the moves: /correct and /void are not moves
    hotline.router,  # before the ticket's page: /new is not a ticket id
    hotline_ticket.router,
    hotline_directory.router,
    hotline_exports.router,
    assessment.router,
    assessment_exports.router,
    assessment_manual.router,
    enterprise.router,
    admin.router,
]
