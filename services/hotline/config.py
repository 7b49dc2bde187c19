"""The hotline's own settings: ticket categories, SLAs and the red-case supervision rule."""

from __future__ import annotations

from enclave_shared.settings import ServiceSettings
from pydantic import Field, model_validator

from services.hotline.domain import Sla

EVENT_CATEGORY = "other"
"""Tickets opened from events use this category, so it must always be configured."""

DEFAULT_CATEGORIES = [
    "registration",
    "permits",
    "tax",
    "utilities",
    "land",
    "talent_policy",
    "finance_subsidies",
    "other",
]

DEFAULT_NAMES = {
    "registration": "Business registration (企业登记)",
    "permits": "Permits and approvals (审批许可)",
    "tax": "Tax (税务)",
    "utilities": "Water, power and gas (水电气)",
    "land": "Land and planning (用地规划)",
    "talent_policy": "Talent policy (人才政策)",
    "finance_subsidies": "Finance and subsidies (金融奖补)",
    "other": "Other (其他)",
}


class HotlineSettings(ServiceSettings):
    """ServiceSettings plus the hotline's rules; JSON in the env vars for the structured ones."""

    categories: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CATEGORIES), validation_alias="HOTLINE_CATEGORIES"
    )
    category_names: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_NAMES), validation_alias="HOTLINE_CATEGORY_NAMES"
    )
    default_sla: Sla = Field(
        default_factory=lambda: Sla(accept_hours=4, resolve_hours=120),
        validation_alias="HOTLINE_DEFAULT_SLA",
    )
    sla: dict[str, Sla] = Field(
        default_factory=lambda: {
            "registration": Sla(accept_hours=2, resolve_hours=72),
            "permits": Sla(accept_hours=4, resolve_hours=240),
            "utilities": Sla(accept_hours=2, resolve_hours=48),
        },
        validation_alias="HOTLINE_SLA",
        description="per-category SLA; categories not listed use default_sla",
    )
    red_case_days: int = Field(
        30,
        ge=1,
        validation_alias="HOTLINE_RED_CASE_DAYS",
        description="days after signing a case may stay red (no construction) before supervision",
    )

    @model_validator(mode="after")
    def _categories_consistent(self) -> HotlineSettings:
        if len(set(self.categories)) != len(self.categories):
            raise ValueError("HOTLINE_CATEGORIES has duplicates")
        if EVENT_CATEGORY not in self.categories:
            raise ValueError(f"HOTLINE_CATEGORIES must include {EVENT_CATEGORY!r} (event tickets)")
        unknown = sorted(set(self.sla) - set(self.categories))
        if unknown:
            raise ValueError(f"HOTLINE_SLA names categories not configured: {unknown}")
        return self

    def sla_for(self, category: str) -> Sla:
        """The SLA of a category (the default when it has none of its own)."""
        return self.sla.get(category, self.default_sla)

    def name_of(self, category: str) -> str:
        """A category's display name."""
        return self.category_names.get(category) or category.replace("_", " ").capitalize()
