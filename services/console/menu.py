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


MENU: tuple[MenuSection, ...] = (
    MenuSection("Overview", (MenuItem("home", "Home", "/", EVERYONE),)),
    # Area sections (enclave, intake, hotline, assessment, enterprise) go here.
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
