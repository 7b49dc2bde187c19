"""The scenario's data: who and what the first half-year brings, each on its business date.

Plain data, no I/O: `scenario.py` sends it through the public APIs and `readback.py` checks
what the services report against the figures of the source (../shared/DOMAIN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

START = date(2020, 11, 1)  # the liaison station opens in Shenzhen
END = date(2021, 6, 30)  # "the first half year or so"
YEAR = 2021  # the assessment year computed at the end
BASE_FUND = 4_000_000

# Figures from the source (DOMAIN.md, "Figures from the source").
HIGH_LEVEL_TALENTS = 49
RESEARCHERS = 300
GBA_AGREEMENTS = 19
OUTCOMES_TRANSFERRED = 3
ENTERPRISES_SETTLED = 6
HQ_ECONOMY = 10
RD_DEMANDS = 29
DEMANDS_WITH_COOPERATION = 12
# The 531 programme's targets over 2021–2025 (the incubation service's defaults).
TRAINING_TARGETS = {"managers": 100, "entrepreneurs": 100, "skilled_workers": 10_000}
DAYS_TO_CONSTRUCTION_MAX = 30  # "under 30 days on average"
BASELINE_RATIO = (1.6, 2.6)  # other projects take "about twice" as long

# The partner each of the 12 demands in cooperation names (university, institute or
# enterprise, in the GBA or not): the source's "12 in cooperation", listed.
DEMAND_PARTNERS = (
    ("Shenzhen University", "university", True),
    ("Southern University of Science and Technology", "university", True),
    ("Shenzhen Institutes of Advanced Technology, CAS", "institute", True),
    ("Shenzhen Lingyun Robotics", "enterprise", True),
    ("Dongguan Songshan Lake Automation", "enterprise", True),
    ("Guangzhou Panyu Mould Technology", "enterprise", True),
    ("Harbin Institute of Technology, Shenzhen", "university", True),
    ("Guangdong Academy of Sciences", "institute", True),
    ("Shenzhen Guangming Graphene", "enterprise", True),
    ("Jiangxi University of Science and Technology", "university", False),
    ("Jiangxi Academy of Sciences", "institute", False),
    ("Nanchang University", "university", False),
)
# The base's platforms the source counts: 1 academician workstation, 18 innovation service
# platforms, 1 provincial postdoctoral innovation base, 8 provincial Internet+ incubation bases.
PLATFORM_COUNTS = (
    ("academician_workstation", "provincial", 1, "承接基地院士工作站"),
    ("innovation_service", "municipal", 18, "创新服务平台"),
    ("postdoctoral_base", "provincial", 1, "省级博士后创新基地"),
    ("internet_plus_incubation", "provincial", 8, "省级互联网+创业孵化基地"),
)
PLATFORMS_SINCE = date(2020, 6, 30)
# The plots of the base's sample plan the six settled enterprises are placed on.
SETTLED_PLOTS = ("A1", "A2", "A3", "B1", "B2", "C1")

# The marker: the scenario's last record. Present → the scenario ran to its end before.
MARKER_TITLE = "Half-year review of the talent enclave [demo:first-half-year]"
MARKER_ON = END

CHAINS = (
    "advanced_machinery",
    "metal_new_materials",
    "black_talc",
    "new_electronics",
    "smart_manufacturing",
    "digital_economy",
    "culture_tourism",
)  # the incubation service's default seven chains (ENCLAVE_INDUSTRY_CHAINS)

FIELDS = (
    "mechanical engineering",
    "materials science",
    "electronic engineering",
    "computer science",
    "industrial design",
    "mineral processing",
    "automation",
)


def spread(index: int, count: int, first: date, last: date) -> date:
    """The index-th of `count` dates spread evenly from `first` to `last`."""
    if count <= 1:
        return first
    return first + timedelta(days=(last - first).days * index // (count - 1))


@dataclass(frozen=True)
class Talent:
    name: str
    level: str  # high_level | researcher
    field: str
    recruited_on: date
    ambassador: int | None  # index into AMBASSADORS: recruited through a talent ambassador


@dataclass(frozen=True)
class Agreement:
    partner: str
    kind: str
    in_gba: bool
    signed_on: date
    project: int | None = None  # index into PROJECTS: the project the agreement led to
    hq: int | None = None  # index into HQ_ENTERPRISES: the HQ enterprise it came to


@dataclass(frozen=True)
class Activity:
    kind: str
    title: str
    held_on: date
    attendance: int


@dataclass(frozen=True)
class Demand:
    enterprise: str
    industry_chain: str
    title: str
    submitted_on: date


@dataclass(frozen=True)
class Case:
    """What the intake base does once a matured project's case is open."""

    signed_on: date
    construction_on: date
    production_on: date
    enterprise: str | None = None  # signs the case when the project names none (menu path)


@dataclass(frozen=True)
class Project:
    """A project on one of the four paths; `case` set when it matures and transfers."""

    path: str
    title: str
    registered_on: date
    incubation_on: date
    source: int | None = None  # order: index into DEMANDS; menu: index into MENU_ITEMS
    industry_chain: str | None = None
    layout_category: str | None = None
    enterprise: str | None = None
    enterprise_tag: str | None = None
    matured_on: date | None = None
    case: Case | None = None


AMBASSADORS = (
    ("Chen Hui", "Shenzhen Guangfeng Chamber of Commerce"),
    ("Xu Lin", "Southern University of Science and Technology alumni"),
    ("Zhou Ming", "Shenzhen Guangfeng Chamber of Commerce"),
    ("Wu Jing", "GBA returnee entrepreneurs"),
    ("Zheng Tao", "Shenzhen Institutes of Advanced Technology alumni"),
    ("Fang Yu", "Guangfeng talent liaison station"),
)


def _talents() -> list[Talent]:
    out: list[Talent] = []
    for level, count, every in (
        ("high_level", HIGH_LEVEL_TALENTS, 3),
        ("researcher", RESEARCHERS, 5),
    ):
        for i in range(count):
            out.append(
                Talent(
                    name=f"Demo {level.replace('_', '-')} talent {i + 1:03d}",
                    level=level,
                    field=FIELDS[i % len(FIELDS)],
                    recruited_on=spread(i, count, date(2020, 11, 12), date(2021, 6, 26)),
                    # ambassadors recruit "by talent, directed, precise": every n-th one
                    ambassador=(i // every) % len(AMBASSADORS) if i % every == 0 else None,
                )
            )
    return out


TALENTS = _talents()

# The same period a year earlier, before the liaison station opened: what the district
# recruited then is the baseline of the source's "over ten times the same period last year"
# (超过上年同期引才数量的10倍), and the village-elite meeting it held at the Spring Festival.
PRIOR_START, PRIOR_END = START.replace(year=START.year - 1), END.replace(year=END.year - 1)
TIMES_LAST_YEAR = 10
PRIOR_TALENTS = tuple(
    Talent(
        name=f"Baseline {level.replace('_', '-')} talent {i + 1:02d}",
        level=level,
        field=FIELDS[i % len(FIELDS)],
        recruited_on=spread(i, count, date(2019, 11, 20), date(2020, 6, 20)),
        ambassador=None,
    )
    for level, count in (("high_level", 3), ("researcher", 28))
    for i in range(count)
)
PRIOR_ACTIVITIES = (
    Activity(
        "village_elite_meeting", "Spring Festival village-elite meeting in Guangfeng",
        date(2020, 1, 18), 60,
    ),
)  # fmt: skip

GBA_PARTNERS = (
    "Shenzhen Huike Precision Machinery",
    "Dongguan Xinrui New Materials",
    "Shenzhen Lingyun Robotics",
    "Guangzhou Tianhe Smart Sensors",
    "Zhuhai Haiyang Electronics",
    "Shenzhen Qianhai Data Technology",
    "Foshan Shunde Smart Equipment",
    "Shenzhen Nanshan Semiconductor",
    "Huizhou Ruiteng Battery Materials",
    "Shenzhen Futian Industrial Internet",
    "Guangzhou Panyu Mould Technology",
    "Shenzhen Bao'an Laser Equipment",
    "Zhongshan Torch Photonics",
    "Shenzhen Longgang Drone Systems",
    "Jiangmen Coating Materials",
    "Hong Kong Science Park Microsystems",
    "Macau Smart Tourism Technology",
    "Shenzhen Guangming Graphene",
    "Dongguan Songshan Lake Automation",
)
DIRECTED_TARGETS = (
    ("Shenzhen Lingyun Robotics", "unicorn"),
    ("Shenzhen Nanshan Semiconductor", "gazelle"),
    ("Shenzhen Longgang Drone Systems", "gazelle"),
)


def _agreements() -> list[Agreement]:
    """The 19 GBA partners, each linked to what it came to: a directed target to its
    project (settled), six more to the order projects whose R&D result transferred and the
    menu projects whose enterprise settled, the other ten to the HQ-economy enterprises —
    so 19 = 3 + 6 + 10 is computed from the links."""
    directed = {name: i for i, (name, _tag) in enumerate(DIRECTED_TARGETS)}
    directed_projects = [i for i, p in enumerate(PROJECTS) if p.path == "directed"]
    landed = iter(i for i, p in enumerate(PROJECTS) if p.case is not None and p.path != "directed")
    hq = iter(range(len(HQ_ENTERPRISES)))
    gba = []
    for i, name in enumerate(GBA_PARTNERS):
        project = directed_projects[directed[name]] if name in directed else next(landed, None)
        gba.append(
            Agreement(
                partner=name,
                kind="enterprise",
                in_gba=True,
                signed_on=spread(i, len(GBA_PARTNERS), date(2020, 11, 25), date(2021, 6, 18)),
                project=project,
                hq=next(hq) if project is None else None,
            )
        )
    # Partners outside the GBA count as agreements, not as GBA cooperation.
    others = [
        Agreement(
            "Jiangxi University of Science and Technology", "university", False, date(2021, 3, 9)
        ),
        Agreement("Shangrao Normal University", "university", False, date(2021, 5, 11)),
    ]
    return gba + others


ACTIVITIES = (
    Activity(
        "talent_welcome", "Liaison station opening and talent welcome", date(2020, 11, 18), 120
    ),
    Activity(
        "village_elite_meeting",
        "New village-elite (新乡贤) meeting in Shenzhen",
        date(2020, 12, 12),
        85,
    ),
    Activity("roadshow", "GBA project roadshow for the seven chains", date(2021, 1, 16), 140),
    Activity("training", "531: professional managers, first cohort", date(2021, 3, 6), 40),
    Activity("village_elite_meeting", "Spring village-elite meeting", date(2021, 3, 27), 90),
    Activity(
        "roadshow",
        "R&D demand matchmaking: local enterprises meet GBA teams",
        date(2021, 4, 17),
        160,
    ),
    Activity("talent_welcome", "Talent welcome for the spring recruits", date(2021, 5, 15), 110),
    Activity("training", "531: new-generation entrepreneurs", date(2021, 6, 5), 35),
    Activity("other", MARKER_TITLE, MARKER_ON, 60),
)

TRAININGS = (
    ("managers", 12, date(2021, 3, 20)),
    ("entrepreneurs", 10, date(2021, 6, 12)),
    ("skilled_workers", 400, date(2021, 5, 29)),
    ("skilled_workers", 250, date(2021, 6, 26)),
)

HQ_ENTERPRISES = tuple(
    (f"Shenzhen HQ enterprise {i + 1:02d} serving Guangfeng", CHAINS[i % len(CHAINS)],
     spread(i, HQ_ECONOMY, date(2020, 12, 1), date(2021, 6, 15)))
    for i in range(HQ_ECONOMY)
)  # fmt: skip

DEMANDS = tuple(
    Demand(
        enterprise=f"Guangfeng {CHAINS[i % len(CHAINS)].replace('_', ' ')} enterprise {i + 1:02d}",
        industry_chain=CHAINS[i % len(CHAINS)],
        title=f"R&D need {i + 1:02d}: process upgrade in {CHAINS[i % len(CHAINS)]}",
        submitted_on=spread(i, RD_DEMANDS, date(2020, 11, 15), date(2021, 3, 31)),
    )
    for i in range(RD_DEMANDS)
)

MENU_ITEMS = (
    ("Smart talc powder grading line", "black_talc", "new_materials", date(2020, 12, 10)),
    ("Industrial vision inspection module", "new_electronics", "new_electronics", date(2021, 1, 8)),
    ("Digital twin for machine tools", "smart_manufacturing", "new_smart_manufacturing",
     date(2021, 2, 5)),
)  # fmt: skip

# Signing → construction start of the six settled enterprises: under 30 days each, 27.3 on
# average, against the intake base's baseline of 60 for other investment projects.
SETTLED_DAYS = (22, 29, 27, 29, 28, 29)


def _projects() -> list[Project]:
    out: list[Project] = []
    # Order: the enclave takes 12 of the 29 demands on (cooperation with GBA teams); three
    # of them mature and transfer their result to the demanding enterprise by April.
    order_matured = (date(2021, 3, 15), date(2021, 3, 29), date(2021, 4, 12))
    for i in range(DEMANDS_WITH_COOPERATION):
        registered = DEMANDS[i].submitted_on + timedelta(days=14)
        matured = order_matured[i] if i < len(order_matured) else None
        out.append(
            Project(
                path="order",
                title=f"Order project for {DEMANDS[i].enterprise}",
                registered_on=registered,
                incubation_on=registered + timedelta(days=7),
                source=i,
                matured_on=matured,
                case=None
                if matured is None
                else Case(
                    signed_on=matured + timedelta(days=10),
                    construction_on=matured + timedelta(days=25),
                    production_on=matured + timedelta(days=45),
                ),
            )
        )
    settled = iter(SETTLED_DAYS)
    menu_matured = (date(2021, 3, 20), date(2021, 4, 5), date(2021, 4, 20))
    for i, (title, _chain, _layout, published) in enumerate(MENU_ITEMS):
        registered = published + timedelta(days=10)
        signed = menu_matured[i] + timedelta(days=7)
        built = signed + timedelta(days=next(settled))
        out.append(
            Project(
                path="menu",
                title=title,
                registered_on=registered,
                incubation_on=registered + timedelta(days=5),
                source=i,
                matured_on=menu_matured[i],
                case=Case(
                    signed_on=signed,
                    construction_on=built,
                    production_on=built + timedelta(days=21),
                    enterprise=f"{title} (Guangfeng) Co., Ltd.",
                ),
            )
        )
    directed = (
        (date(2021, 1, 5), date(2021, 3, 25)),
        (date(2021, 1, 25), date(2021, 4, 10)),
        (date(2021, 2, 15), date(2021, 4, 25)),
    )
    for i, ((name, tag), (registered, matured)) in enumerate(
        zip(DIRECTED_TARGETS, directed, strict=True)
    ):
        signed = matured + timedelta(days=7)
        built = signed + timedelta(days=next(settled))
        out.append(
            Project(
                path="directed",
                title=f"{name}: Guangfeng production base",
                registered_on=registered,
                incubation_on=registered + timedelta(days=5),
                industry_chain=("advanced_machinery", "new_electronics", "smart_manufacturing")[i],
                enterprise=name,
                enterprise_tag=tag,
                matured_on=matured,
                case=Case(
                    signed_on=signed,
                    construction_on=built,
                    production_on=built + timedelta(days=21),
                ),
            )
        )
    # Delivery: high-tech projects outside 三新两大, still incubating at the end of June.
    for i, (title, chain, registered) in enumerate(
        (
            ("Medical-grade talc excipients", "black_talc", date(2021, 2, 1)),
            ("Rural e-commerce cold chain platform", "digital_economy", date(2021, 3, 1)),
        )
    ):
        out.append(
            Project(
                path="delivery",
                title=title,
                registered_on=registered,
                incubation_on=registered + timedelta(days=10 + i),
                industry_chain=chain,
            )
        )
    return out


PROJECTS = _projects()
AGREEMENTS = _agreements()


@dataclass(frozen=True)
class Ticket:
    """A problem raised with the hotline in 2021, as its agents recorded it (business times)."""

    category: str
    description: str
    case: int  # index into CASE_PROJECTS (projects with a case), in PROJECTS order
    web: bool  # raised by the enterprise on the web (else a phone call)
    opened_at: datetime
    hours_to_resolve: int
    within_sla: bool  # under the hotline's default SLAs (permits 240 h, utilities 48 h, …)


def _at(day: str, hour: int) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


TICKETS = (
    Ticket("registration", "Branch registration documents for the Guangfeng company", 3, True,
           _at("2021-03-29", 9), 30, True),
    Ticket("permits", "Environmental assessment approval for the pilot line", 0, False,
           _at("2021-03-30", 10), 120, True),
    Ticket("utilities", "Dual power supply for the clean room", 4, True,
           _at("2021-04-14", 8), 20, True),
    Ticket("land", "Land parcel boundary survey for phase one", 6, False,
           _at("2021-04-06", 9), 96, True),
    Ticket("talent_policy", "Housing subsidy application for three R&D engineers", 1, False,
           _at("2021-04-20", 14), 50, True),
    Ticket("finance_subsidies", "Equipment purchase subsidy (设备购置专项补助) paperwork", 5, True,
           _at("2021-05-06", 10), 72, True),
    Ticket("tax", "VAT registration of the transferred product line", 2, False,
           _at("2021-05-10", 9), 26, True),
    # waits 12 days for the fire brigade's inspection: past the 10-day permits SLA
    Ticket("permits", "Fire safety acceptance of the new workshop", 7, False,
           _at("2021-05-18", 11), 288, False),
)  # fmt: skip
# The moves after opening (hours): accepted, routed, (resolved: per ticket), closed after that.
ACCEPT_AFTER_H, ROUTE_AFTER_H, CLOSE_AFTER_RESOLVE_H = 1, 2, 24
# A landing follow-up opens at the start of the signing day (UTC): resolved two days later.
FOLLOWUP_HOURS_TO_RESOLVE = 57
DEPARTMENTS = {
    "registration": "District market supervision bureau (区市场监管局)",
    "permits": "High-tech zone one window (一窗式) approvals",
    "utilities": "Guangfeng power supply company",
    "land": "District natural resources bureau (区自然资源局)",
    "talent_policy": "District talent office (区人才办)",
    "finance_subsidies": "District finance bureau (区财政局)",
    "tax": "District tax bureau (区税务局)",
}

CASE_PROJECTS = [p for p in PROJECTS if p.case is not None]

# Manual indicators the assessors enter for the year, with their evidence.
MANUAL = (
    ("premises", 1, "Lease of the Shenzhen enclave premises, Nanshan, from November 2020"),
    ("team", 5, "Staff roster of the liaison station, June 2021"),
    ("annual_work_plan", 1, "2021 work plan adopted by the district talent office"),
    ("monthly_work_plans", 6, "Monthly work plans January to June 2021 on file"),
    ("rules_published", 4, "Photos of the four operating rules on the wall"),
    ("honours", 1, "Provincial commendation of the enclave model, May 2021"),
    ("platforms_created", 1, "Joint R&D centre with a GBA institute, April 2021"),
)

HOTLINE_REQUESTS = len(TICKETS)
HOTLINE_RESOLVED = len(TICKETS) + ENTERPRISES_SETTLED  # plus one landing follow-up each
HOTLINE_WITHIN_SLA = sum(t.within_sla for t in TICKETS) + ENTERPRISES_SETTLED


def expected_facts() -> dict[str, int]:
    """The assessment facts the scenario's events make, dated in the period, by indicator."""
    counts: dict[str, int] = {}

    def add(key: str, n: int = 1) -> None:
        counts[key] = counts.get(key, 0) + n

    for t in TALENTS:
        add("talents_high_level" if t.level == "high_level" else "talents_researchers")
        add("talents_total")
    for a in AGREEMENTS:
        add("agreements_total")
        if a.in_gba:
            add("agreements_gba")
    add("hq_enterprises", len(HQ_ENTERPRISES))
    add("activities_held", len(ACTIVITIES))
    for track, _count, _on in TRAININGS:
        add("trainings_total")
        add(f"trainings_{track}")
    for p in PROJECTS:
        if p.matured_on is None:
            continue
        for fact in ("projects_matured", "projects_transferred"):  # a case opens: transferred
            add(fact)
            add(f"{fact}_{p.path}")
        add("outcomes_transferred" if p.path == "order" else "enterprises_settled")
    add("tickets_resolved_within_sla", HOTLINE_WITHIN_SLA)  # resolved on 2021 business dates
    return counts
