"""The console's client of the intake service: its calls and the shapes it reads."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.console.clients.base import MAX_LIMIT, ServiceClient, _Shape, every_page


class IntakeStats(_Shape):
    """The intake base's figures (GET /api/v1/stats)."""

    cases_opened: int
    cases_by_color: dict[str, int]
    cases_by_path: dict[str, int]
    settled: int
    outcomes_transferred: int
    avg_days_to_construction: float | None
    baseline_days_to_construction: float


class CaseSummary(_Shape):
    """A line of the intake cases list."""

    id: str
    title: str
    path: str
    color: str | None = None
    opened_on: date
    signed_on: date | None = None
    construction_started_on: date | None = None
    production_started_on: date | None = None
    status: str = "active"
    enterprise: str | None = None
    industry_chain: str = ""
    days_to_construction: int | None = None

    @property
    def shown_color(self) -> str:
        """The colour the board and the wall show: grey while suspended."""
        return "grey" if self.status == "suspended" else (self.color or "red")


class Case(CaseSummary):
    """An intake case with its enterprise, chain and responsible body."""

    project_id: str
    outcome: str
    industry_chain: str
    layout_category: str | None = None
    enterprise_account: str | None = None
    enterprise_tag: str | None = None
    responsible_unit: str | None = None
    responsible_person: str | None = None
    responsible_contact: str | None = None
    plot_id: str | None = None
    investment: Decimal | None = None  # the ledger's header, 万元
    planned_jobs: int | None = None
    expected_output: Decimal | None = None  # 万元 a year
    status_reason: str | None = None
    suspended_on: date | None = None
    withdrawn_on: date | None = None
    voided_at: datetime | None = None
    void_reason: str | None = None


class Responsible(_Shape):
    unit: str | None = None
    person: str | None = None
    contact: str | None = None


class StageView(_Shape):
    """A stage of the ledger: its requirements, its date, done / current / pending."""

    stage: str
    requirements: list[str]
    done_on: date | None = None
    status: str


class ProgressEntry(_Shape):
    id: str
    happened_on: date
    stage: str | None = None
    text: str
    recorded_by: str | None = None


class Meeting(_Shape):
    id: str
    kind: str
    scheduled_on: date | None = None
    held_on: date | None = None
    notes: str = ""


class Slot(_Shape):
    """A period of the "three ones" in which a meeting is owed: held, open or overdue."""

    kind: str
    start: date
    due_on: date
    status: str
    meeting_id: str | None = None


class DueMeeting(Slot):
    """A period the dispatch counts, with its case's project and enterprise."""

    case_id: str
    project_id: str
    title: str
    enterprise: str | None = None


class Ledger(_Shape):
    """One enterprise, one ledger (一企一台账)."""

    case: Case
    responsible: Responsible
    stages: list[StageView]
    progress: list[ProgressEntry]
    meetings: list[Meeting]
    overdue_meetings: list[Slot]


class QuietDays(_Shape):
    weekdays: list[int]
    month_days: list[int]
    dates: list[date]


class Demand(_Shape):
    """A local enterprise's R&D demand."""

    id: str
    enterprise: str
    enterprise_account: str | None = None
    industry_chain: str
    title: str
    description: str = ""
    submitted_on: date
    project_id: str | None = None
    taken_on: date | None = None
    partner_name: str | None = None
    partner_kind: str | None = None
    partner_in_gba: bool | None = None


class MenuItem(_Shape):
    """A project the zone wants incubated."""

    id: str
    title: str
    industry_chain: str
    layout_category: str
    description: str = ""
    published_on: date


class WallText(_Shape):
    kind: str
    version: int
    items: list[str]
    edited_at: datetime | None = None


class Plot(_Shape):
    id: str
    label: str
    x: float
    y: float
    width: float
    height: float


class Plan(_Shape):
    name: str
    width: float
    height: float
    plots: list[Plot]


class PlanVersion(_Shape):
    version: int
    plan: Plan
    edited_at: datetime | None = None


class Platform(_Shape):
    id: str
    kind: str
    name: str
    level: str
    since: date


class Platforms(_Shape):
    counts: dict[str, int]
    items: list[Platform]


class WallRow(_Shape):
    """A line of the transfer progress table: no person named."""

    case_id: str
    project_id: str
    title: str
    enterprise: str | None = None
    path: str
    color: str
    status: str = "active"
    plot_id: str | None = None
    signed_on: date | None = None
    construction_started_on: date | None = None
    production_started_on: date | None = None
    days_to_construction: int | None = None
    returns: ReturnsSummary | None = None  # its five returns: counts and capital, no person

    @property
    def shown_color(self) -> str:
        return "grey" if self.status == "suspended" else self.color


class Wall(_Shape):
    """The public wall (上墙公示) as intake gives it."""

    entry_conditions: WallText
    entry_process: WallText
    transfer_progress: list[WallRow]
    five_returns: ReturnsSummary | None = None
    plan: PlanVersion
    unplaced: list[str]
    platforms: Platforms


class IntakeClient(ServiceClient):
    """The Shangrao intake base's service."""

    service = "intake"

    async def stats(self) -> IntakeStats:
        """The zone's figures up to today."""
        return IntakeStats.model_validate(await self._get("/api/v1/stats"))

    async def cases(self, *, limit: int = 50) -> list[CaseSummary]:
        """Intake cases (an enterprise sees only its own)."""
        rows = await self._get("/api/v1/cases", limit=limit)
        return [CaseSummary.model_validate(c) for c in rows]

    async def meetings_due(
        self, filters: dict[str, str], *, limit: int, offset: int
    ) -> tuple[list[DueMeeting], int]:
        """The "three ones" periods due between `from` and `to` (the dispatch's), filtered
        by `kind` and `status` (district leader, admin)."""
        return await self._page(
            "/api/v1/dispatch/meetings", DueMeeting, filters, limit=limit, offset=offset
        )

    async def case_page(
        self,
        *,
        path: str | None,
        color: str | None,
        limit: int,
        offset: int,
        status: str | None = None,
    ) -> tuple[list[Case], int]:
        """A page of cases and the total, filtered by path, colour and status."""
        filters = {"path": path, "color": color, "status": status}
        return await self._page("/api/v1/cases", Case, filters, limit=limit, offset=offset)

    async def all_cases(
        self, *, path: str | None = None, color: str | None = None, status: str | None = None
    ) -> list[Case]:
        """Every case of the filter (all pages)."""
        return await every_page(
            lambda limit, offset: self.case_page(
                path=path, color=color, status=status, limit=limit, offset=offset
            )
        )

    async def ledger(self, case_id: str) -> Ledger:
        """The case's whole ledger."""
        return Ledger.model_validate(await self._get(f"/api/v1/cases/{case_id}/ledger"))

    async def schedule(self, case_id: str) -> list[Slot]:
        """Every owed "three ones" period of the case up to today."""
        rows = await self._get(f"/api/v1/cases/{case_id}/schedule")
        return [Slot.model_validate(s) for s in rows]

    async def quiet_days(self) -> QuietDays:
        """The quiet-day (宁静日) rules."""
        return QuietDays.model_validate(await self._get("/api/v1/quiet-days"))

    async def move(self, case_id: str, stage: str, day: date, **extra: str) -> Case:
        """Record a stage: signing (`signed_on`), construction or production (`started_on`)."""
        field = "signed_on" if stage == "signing" else "started_on"
        body = {field: day.isoformat(), **{k: v for k, v in extra.items() if v}}
        answer = await self._send("POST", f"/api/v1/cases/{case_id}/{stage}", body)
        return Case.model_validate(answer)

    async def set_responsible(self, case_id: str, *, unit: str, person: str, contact: str) -> Case:
        """Name the responsible body (推进责任主体)."""
        body = {"unit": unit, "person": person, "contact": contact or None}
        answer = await self._send("PUT", f"/api/v1/cases/{case_id}/responsible", body)
        return Case.model_validate(answer)

    async def add_progress(
        self, case_id: str, *, happened_on: str, text: str, stage: str
    ) -> ProgressEntry:
        """Add a dated progress entry to the ledger."""
        body = {"happened_on": happened_on, "text": text, "stage": stage or None}
        answer = await self._send("POST", f"/api/v1/cases/{case_id}/progress", body)
        return ProgressEntry.model_validate(answer)

    async def case(self, case_id: str) -> Case:
        """One case."""
        return Case.model_validate(await self._get(f"/api/v1/cases/{case_id}"))

    async def correct_case(self, case_id: str, body: dict[str, Any]) -> Case:
        """Correct a case's fields (with a reason)."""
        return Case.model_validate(await self._send("PATCH", f"/api/v1/cases/{case_id}", body))

    async def void(self, what: str, record_id: str, reason: str) -> None:
        """Void a record (`cases`, `rd-demands`, `menu-items`, `platforms`) with a reason."""
        await self._call("DELETE", f"/api/v1/{what}/{record_id}", json={"reason": reason})

    async def stop(self, case_id: str, move: str, body: dict[str, Any]) -> Case:
        """Suspend, resume or withdraw a case."""
        answer = await self._send("POST", f"/api/v1/cases/{case_id}/{move}", body)
        return Case.model_validate(answer)

    async def set_plot(self, case_id: str, plot_id: str | None) -> Case:
        """Place the case's enterprise on a plot (None: unplaced)."""
        body = {"plot_id": plot_id}
        return Case.model_validate(await self._send("PUT", f"/api/v1/cases/{case_id}/plot", body))

    async def plan(self) -> PlanVersion:
        """The base's plan in its latest version."""
        return PlanVersion.model_validate(await self._get("/api/v1/wall/plan"))

    async def save_plan(self, plan: dict[str, Any]) -> PlanVersion:
        """Replace the base's plan."""
        return PlanVersion.model_validate(await self._send("PUT", "/api/v1/wall/plan", plan))

    async def wall_text(self, kind: str) -> WallText:
        return WallText.model_validate(await self._get(f"/api/v1/wall/texts/{kind}"))

    async def save_wall_text(self, kind: str, items: list[str]) -> WallText:
        answer = await self._send("PUT", f"/api/v1/wall/texts/{kind}", {"items": items})
        return WallText.model_validate(answer)

    async def platforms(self) -> list[Platform]:
        rows = await self._get("/api/v1/platforms", limit=MAX_LIMIT)
        return [Platform.model_validate(r) for r in rows]

    async def add_platform(self, body: dict[str, Any]) -> Platform:
        return Platform.model_validate(await self._send("POST", "/api/v1/platforms", body))

    async def name_partner(self, demand_id: str, body: dict[str, Any]) -> Demand:
        answer = await self._send("PUT", f"/api/v1/rd-demands/{demand_id}/partner", body)
        return Demand.model_validate(answer)

    async def correct(self, what: str, record_id: str, body: dict[str, Any]) -> None:
        """Correct a demand or a menu item (`rd-demands`, `menu-items`)."""
        await self._call("PATCH", f"/api/v1/{what}/{record_id}", json=body)

    async def demand_page(
        self, *, industry_chain: str | None, limit: int, offset: int
    ) -> tuple[list[Demand], int]:
        """A page of R&D demands and the total."""
        filters = {"industry_chain": industry_chain}
        return await self._page("/api/v1/rd-demands", Demand, filters, limit=limit, offset=offset)

    async def all_demands(self, *, industry_chain: str | None) -> list[Demand]:
        """Every R&D demand of the filter."""
        return await every_page(
            lambda limit, offset: self.demand_page(
                industry_chain=industry_chain, limit=limit, offset=offset
            )
        )

    async def submit_demand(self, body: dict[str, Any]) -> Demand:
        """Record a local enterprise's R&D demand."""
        return Demand.model_validate(await self._send("POST", "/api/v1/rd-demands", body))

    async def menu_page(self, *, limit: int, offset: int) -> tuple[list[MenuItem], int]:
        """A page of the menu and the total."""
        return await self._page("/api/v1/menu-items", MenuItem, {}, limit=limit, offset=offset)

    async def all_menu_items(self) -> list[MenuItem]:
        """The whole menu."""
        return await every_page(lambda limit, offset: self.menu_page(limit=limit, offset=offset))

    async def publish_menu_item(self, body: dict[str, Any]) -> MenuItem:
        """Put a project on the menu."""
        return MenuItem.model_validate(await self._send("POST", "/api/v1/menu-items", body))

    # Support policies (精细化保障), their applications and the five returns (五回).

    async def support_policies(self, *, kind: str | None = None) -> list[SupportPolicy]:
        """The whole catalogue of support policies."""
        return await every_page(
            lambda limit, offset: self._page(
                "/api/v1/support-policies",
                SupportPolicy,
                {"kind": kind},
                limit=limit,
                offset=offset,
            )
        )

    async def publish_policy(self, body: dict[str, Any]) -> SupportPolicy:
        """Put a support policy in the catalogue."""
        answer = await self._send("POST", "/api/v1/support-policies", body)
        return SupportPolicy.model_validate(answer)

    async def application_page(
        self, *, decision: str | None, limit: int, offset: int
    ) -> tuple[list[PolicyApplication], int]:
        """A page of policy applications (the caller's own, for an enterprise) and the total."""
        return await self._page(
            "/api/v1/policy-applications",
            PolicyApplication,
            {"decision": decision},
            limit=limit,
            offset=offset,
        )

    async def file_application(self, body: dict[str, Any]) -> PolicyApplication:
        """Apply for a support policy for a settled enterprise's case."""
        answer = await self._send("POST", "/api/v1/policy-applications", body)
        return PolicyApplication.model_validate(answer)

    async def decide_application(self, application_id: str, body: dict[str, Any]) -> None:
        """Grant (with the amount) or refuse an application."""
        await self._call("PUT", f"/api/v1/policy-applications/{application_id}/decision", json=body)

    async def return_page(
        self,
        *,
        case_id: str | None,
        kind: str | None,
        limit: int,
        offset: int,
        start: str | None = None,
        end: str | None = None,
    ) -> tuple[list[CaseReturn], int]:
        """A page of five-returns entries (dated in [start, end] when given) and the total."""
        filters = {"case_id": case_id, "kind": kind, "from": start, "to": end}
        return await self._page(
            "/api/v1/five-returns", CaseReturn, filters, limit=limit, offset=offset
        )

    async def record_return(self, case_id: str, body: dict[str, Any]) -> CaseReturn:
        """Enter one of a case's five returns."""
        answer = await self._send("POST", f"/api/v1/cases/{case_id}/returns", body)
        return CaseReturn.model_validate(answer)

    async def returns_summary(
        self, *, start: str | None = None, end: str | None = None
    ) -> ReturnsSummary:
        """The five returns summed for the district (dated in [start, end] when given)."""
        params = {"from": start, "to": end}
        return ReturnsSummary.model_validate(
            await self._get("/api/v1/five-returns/summary", **params)
        )


async def public_wall(http: Any, base_url: str, *, timeout_s: float) -> Wall:
    """The public wall, read without a token (intake serves it to anyone)."""
    response = await http.get(base_url.rstrip("/") + "/public/wall", timeout=timeout_s)
    response.raise_for_status()
    return Wall.model_validate(response.json())


class SupportPolicy(_Shape):
    """A support policy of the zone's catalogue (精细化保障)."""

    id: str
    kind: str
    title: str
    gives: str
    max_amount: Decimal | None = None
    published_on: date
    voided_at: datetime | None = None


class PolicyApplication(_Shape):
    """A settled enterprise's application for a support policy."""

    id: str
    case_id: str
    policy_id: str
    enterprise: str
    amount_asked: Decimal
    filed_on: date
    decision: str | None = None
    amount_granted: Decimal | None = None
    decided_on: date | None = None
    voided_at: datetime | None = None


class CaseReturn(_Shape):
    """One of a case's five returns (五回)."""

    id: str
    case_id: str
    kind: str
    count: int | None = None
    amount: Decimal | None = None
    description: str = ""
    happened_on: date
    voided_at: datetime | None = None


class ReturnsSummary(_Shape):
    """The five returns summed (counts, capital in 万元)."""

    talents: int = 0
    information: int = 0
    capital: Decimal = Decimal(0)
    enterprises: int = 0
    technologies: int = 0
    cases: int = 0
