"""The console's menu, as data: which role sees which page. One place for every area.

An area's helper adds its items here (in its own section) and guards its routes with the
same roles (`deps.page_for(...)`); tests/console check that every item answers its roles
and refuses the others."""

from __future__ import annotations

from dataclasses import dataclass

from enclave_shared.auth import Role

EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class MenuItem:
    """A page in the menu: `label` is an English message id (translated on render)."""

    key: str
    label: str
    path: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class MenuSection:
    """A heading of the menu and its pages."""

    label: str
    items: tuple[MenuItem, ...]


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset({*roles, Role.ADMIN})


# The district leader reads every area's lists and records (and writes nothing: pages show
# it no form); forms have menu items of their own only where a page is nothing but a form.
ENCLAVE = _roles(Role.ENCLAVE_OPERATOR, Role.DISTRICT_LEADER)
INTAKE = _roles(Role.ZONE_OFFICER, Role.DISTRICT_LEADER)
HOTLINE = _roles(Role.HOTLINE_AGENT, Role.DISTRICT_LEADER)
ASSESSMENT = _roles(Role.ASSESSOR, Role.DISTRICT_LEADER)

MENU: tuple[MenuSection, ...] = (
    MenuSection(
        "Overview",
        (
            MenuItem("home", "Home", "/", EVERYONE),
            MenuItem("dispatch", "Dispatch", "/dispatch", _roles(Role.DISTRICT_LEADER)),
        ),
    ),
    MenuSection(
        "Shenzhen enclave",
        (
            MenuItem("enclave.projects", "Projects", "/enclave/projects", ENCLAVE),
            MenuItem("enclave.backlog", "Demands and menu items", "/enclave/backlog", ENCLAVE),
            MenuItem("enclave.talents", "Talents and ambassadors", "/enclave/talents", ENCLAVE),
            MenuItem("enclave.agreements", "Agreements", "/enclave/agreements", ENCLAVE),
            MenuItem("enclave.activities", "Activities", "/enclave/activities", ENCLAVE),
            MenuItem("enclave.training", "531 training", "/enclave/training", ENCLAVE),
            MenuItem("enclave.hq", "HQ economy", "/enclave/hq-enterprises", ENCLAVE),
            MenuItem("enclave.plans", "Work plans", "/enclave/plans", ENCLAVE),
            MenuItem("enclave.team", "Advisory group and team", "/enclave/team", ENCLAVE),
            MenuItem("enclave.centres", "The three centres", "/enclave/centres", ENCLAVE),
            MenuItem("enclave.rd", "R&D centres", "/enclave/rd-centres", ENCLAVE),
            MenuItem(
                "enclave.declarations",
                "Talent programme declarations",
                "/enclave/declarations",
                ENCLAVE,
            ),
            MenuItem("enclave.party", "Party building", "/enclave/party-orgs", ENCLAVE),
            MenuItem("enclave.sages", "New village sages", "/enclave/sages", ENCLAVE),
            MenuItem("enclave.stats", "Year over year", "/enclave/stats", ENCLAVE),
        ),
    ),
    MenuSection(
        "Shangrao intake base",
        (
            MenuItem("intake.board", "Red, yellow, blue board", "/intake/board", INTAKE),
            MenuItem("intake.demands", "R&D demands", "/intake/demands", INTAKE),
            MenuItem("intake.menu", "Menu items", "/intake/menu-items", INTAKE),
            MenuItem("intake.wall", "Public wall", "/intake/wall", INTAKE),
            MenuItem(
                "intake.support",
                "Support policies and five returns",
                "/intake/support",
                _roles(Role.ZONE_OFFICER, Role.DISTRICT_LEADER, Role.ENTERPRISE),
            ),
        ),
    ),
    MenuSection(
        "Hotline",
        (
            MenuItem("hotline.queue", "Ticket queue", "/hotline/tickets", HOTLINE),
            MenuItem(
                "hotline.new", "New ticket", "/hotline/tickets/new", _roles(Role.HOTLINE_AGENT)
            ),
            MenuItem(
                "hotline.departments",
                "Departments directory",
                "/hotline/departments",
                _roles(Role.HOTLINE_AGENT),
            ),
            MenuItem("hotline.figures", "Hotline figures", "/hotline/figures", HOTLINE),
        ),
    ),
    MenuSection(
        "Assessment",
        (
            MenuItem("assessment.year", "Scores and funds", "/assessment", ASSESSMENT),
            MenuItem("assessment.manual", "Manual entries", "/assessment/manual", ASSESSMENT),
        ),
    ),
    MenuSection(
        "My enterprise",
        (
            MenuItem("enterprise.case", "My case", "/enterprise/case", _roles(Role.ENTERPRISE)),
            MenuItem(
                "enterprise.tickets", "My tickets", "/enterprise/tickets", _roles(Role.ENTERPRISE)
            ),
        ),
    ),
    MenuSection(
        "Administration",
        (
            MenuItem("admin.users", "Users", "/admin/users", frozenset({Role.ADMIN})),
            MenuItem("admin.audit", "Audit log", "/admin/audit", frozenset({Role.ADMIN})),
        ),
    ),
)


def menu_for(role: Role) -> list[MenuSection]:
    """The sections and items a role sees (sections it has no item in are left out)."""
    sections = []
    for section in MENU:
        items = tuple(item for item in section.items if role in item.roles)
        if items:
            sections.append(MenuSection(section.label, items))
    return sections


def item(key: str) -> MenuItem:
    """A menu item by its key."""
    for section in MENU:
        for entry in section.items:
            if entry.key == key:
                return entry
    raise KeyError(key)
