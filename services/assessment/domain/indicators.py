"""The indicator registry: the five dimensions and every indicator key a scheme may use.

A scheme may only name indicators listed here; each is either derived from events (counted
by the consumer) or entered by an assessor (manual, with evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Dimension(StrEnum):
    """The five dimensions of the district's assessment measures (人才飞地考核管理办法)."""

    SELF_CONSTRUCTION = "self_construction"  # 自身建设
    RD_COOPERATION = "rd_cooperation"  # 研发合作
    INCUBATION = "incubation"  # 孵化培育
    TALENT_INTRODUCTION = "talent_introduction"  # 人才引进
    ACTIVITIES = "activities"  # 活动开展


DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.SELF_CONSTRUCTION: "自身建设 self-construction",
    Dimension.RD_COOPERATION: "研发合作 R&D cooperation",
    Dimension.INCUBATION: "孵化培育 incubation and cultivation",
    Dimension.TALENT_INTRODUCTION: "人才引进 talent introduction",
    Dimension.ACTIVITIES: "活动开展 activities held",
}


class Source(StrEnum):
    """Where an indicator's actual value comes from."""

    EVENTS = "events"
    MANUAL = "manual"


@dataclass(frozen=True)
class Indicator:
    """One measurable thing: its key, where its value comes from, and what it counts."""

    key: str
    source: Source
    label: str


_EVENT_INDICATORS = [
    Indicator("talents_high_level", Source.EVENTS, "高层次人才 high-level talents recruited"),
    Indicator("talents_researchers", Source.EVENTS, "科研人员 other researchers recruited"),
    Indicator("talents_total", Source.EVENTS, "talents recruited, all levels"),
    Indicator("agreements_gba", Source.EVENTS, "合作意向 cooperation agreements with GBA partners"),
    Indicator("agreements_total", Source.EVENTS, "cooperation agreements, all partners"),
    Indicator("projects_matured", Source.EVENTS, "projects matured, all paths"),
    Indicator("projects_matured_order", Source.EVENTS, "projects matured, order path 订单式"),
    Indicator("projects_matured_menu", Source.EVENTS, "projects matured, menu path 菜单式"),
    Indicator("projects_matured_directed", Source.EVENTS, "projects matured, directed path 定向式"),
    Indicator("projects_matured_delivery", Source.EVENTS, "projects matured, delivery path 配送式"),
    Indicator("projects_transferred", Source.EVENTS, "projects transferred, all paths"),
    Indicator("projects_transferred_order", Source.EVENTS, "projects transferred, order path"),
    Indicator("projects_transferred_menu", Source.EVENTS, "projects transferred, menu path"),
    Indicator("projects_transferred_directed", Source.EVENTS, "projects transferred, directed"),
    Indicator("projects_transferred_delivery", Source.EVENTS, "projects transferred, delivery"),
    Indicator("enterprises_settled", Source.EVENTS, "落户 enterprises settled in Guangfeng"),
    Indicator("outcomes_transferred", Source.EVENTS, "R&D outcomes transferred (order path)"),
    Indicator("hq_enterprises", Source.EVENTS, "总部经济 HQ-economy enterprises registered"),
    Indicator("activities_held", Source.EVENTS, "activities held"),
    Indicator("trainings_total", Source.EVENTS, "531 training: people trained, all tracks"),
    Indicator("trainings_managers", Source.EVENTS, "531 training: professional managers"),
    Indicator(
        "trainings_entrepreneurs", Source.EVENTS, "531 training: new-generation entrepreneurs"
    ),
    Indicator("trainings_skilled_workers", Source.EVENTS, "531 training: skilled workers"),
    Indicator("tickets_resolved_within_sla", Source.EVENTS, "飞地热线 tickets resolved within SLA"),
    Indicator(
        "tickets_satisfied",
        Source.EVENTS,
        "飞地热线 tickets revisited (basically) satisfied",
    ),
    Indicator("plan_items", Source.EVENTS, "月度工作计划事项 plan items of the closed months"),
    Indicator("plan_items_done", Source.EVENTS, "plan items of the closed months done"),
    Indicator("plan_items_done_on_time", Source.EVENTS, "按时完成 plan items done in their month"),
]

_MANUAL_INDICATORS = [
    Indicator("premises", Source.MANUAL, "办公场地 premises in place (1 = yes)"),
    Indicator("team", Source.MANUAL, "专职团队 full-time staff in post"),
    Indicator("annual_work_plan", Source.MANUAL, "年度工作计划 annual work plan adopted (1 = yes)"),
    Indicator("monthly_work_plans", Source.MANUAL, "月度工作计划 monthly work plans filed"),
    Indicator("rules_published", Source.MANUAL, "上墙公示 operating rules on the wall (of 4)"),
    Indicator("honours", Source.MANUAL, "上级表彰 honours from higher authorities"),
    Indicator("platforms_created", Source.MANUAL, "创新平台 innovation platforms created"),
]

INDICATORS: dict[str, Indicator] = {i.key: i for i in [*_EVENT_INDICATORS, *_MANUAL_INDICATORS]}
MANUAL_KEYS: frozenset[str] = frozenset(i.key for i in _MANUAL_INDICATORS)
