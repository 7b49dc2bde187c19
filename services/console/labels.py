"""Chinese (and English) labels for every code the services return.

Codes are the services' enum values; a page shows `{{ code | label("kind") }}`. A code
without a label shows as itself, and tests/console/test_labels.py fails for it."""

from __future__ import annotations

# kind -> code -> (zh-CN, en)
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "path": {
        "order": ("订单式", "Order"),
        "menu": ("菜单式", "Menu"),
        "directed": ("定向式", "Directed"),
        "delivery": ("配送式", "Delivery"),
    },
    "color": {
        "red": ("红", "Red"),
        "yellow": ("黄", "Yellow"),
        "blue": ("蓝", "Blue"),
    },
    "project_stage": {
        "proposed": ("拟引进", "Proposed"),
        "incubating": ("孵化中", "Incubating"),
        "matured": ("已成熟", "Matured"),
        "transferred": ("已转化", "Transferred"),
        "dropped": ("已终止", "Dropped"),
    },
    "case_stage": {
        "signing": ("签约", "Signing"),
        "construction": ("开工建设", "Construction"),
        "production": ("投产", "Production"),
    },
    "outcome": {
        "outcome_transfer": ("成果转化", "Result transfer"),
        "enterprise_settlement": ("企业落户", "Enterprise settlement"),
        "one_stop_landing": ("一条龙落地服务", "One-stop landing"),
    },
    "layout_category": {
        "new_electronics": ("新电子", "New electronics"),
        "new_materials": ("新材料", "New materials"),
        "new_smart_manufacturing": ("新智造", "New smart manufacturing"),
        "big_data": ("大数字", "Big data"),
        "big_tourism": ("大旅游", "Big tourism"),
    },
    "industry_chain": {
        "advanced_machinery": ("先进机械制造", "Advanced machinery"),
        "metal_new_materials": ("金属新材料", "Metal new materials"),
        "black_talc": ("黑滑石", "Black talc"),
        "new_electronics": ("新电子", "New electronics"),
        "smart_manufacturing": ("智能制造", "Smart manufacturing"),
        "digital_economy": ("数字经济", "Digital economy"),
        "culture_tourism": ("文化旅游", "Culture and tourism"),
    },
    "talent_level": {
        "high_level": ("高层次人才", "High-level talent"),
        "researcher": ("科研人员", "Researcher"),
    },
    "training_track": {
        "managers": ("职业经理人", "Professional managers"),
        "entrepreneurs": ("新生代企业家", "New-generation entrepreneurs"),
        "skilled_workers": ("技能型人才", "Skilled workers"),
    },
    "enterprise_tag": {
        "unicorn": ("独角兽", "Unicorn"),
        "gazelle": ("瞪羚", "Gazelle"),
        "other": ("其他", "Other"),
    },
    "transfer_cause": {
        "case_opened": ("承接立案", "Case opened"),
        "enterprise_settled": ("企业落户", "Enterprise settled"),
        "outcome_transferred": ("成果转化", "Result transferred"),
    },
    "backlog_kind": {
        "demand": ("研发需求", "R&D demand"),
        "menu_item": ("菜单项目", "Menu item"),
    },
    "agreement_kind": {
        "enterprise": ("企业", "Enterprise"),
        "university": ("高校", "University"),
        "institute": ("科研院所", "Research institute"),
        "other": ("其他", "Other"),
    },
    "activity_kind": {
        "village_elite_meeting": ("新乡贤座谈会", "New village-elite meeting"),
        "talent_welcome": ("迎才活动", "Talent welcome"),
        "roadshow": ("路演", "Roadshow"),
        "training": ("培训", "Training"),
        "other": ("其他", "Other"),
    },
    "meeting_kind": {
        "inspection": ("半月一督察", "Half-monthly inspection"),
        "coordination": ("一月一协调", "Monthly coordination"),
        "observation": ("一季一观摩", "Quarterly observation"),
    },
    "meeting_status": {
        "held": ("已召开", "Held"),
        "open": ("进行中", "Open"),
        "overdue": ("已逾期", "Overdue"),
    },
    "stage_status": {
        "done": ("已完成", "Done"),
        "current": ("当前阶段", "Current"),
        "pending": ("未开始", "Pending"),
    },
    "weekday": {
        "1": ("星期一", "Monday"),
        "2": ("星期二", "Tuesday"),
        "3": ("星期三", "Wednesday"),
        "4": ("星期四", "Thursday"),
        "5": ("星期五", "Friday"),
        "6": ("星期六", "Saturday"),
        "7": ("星期日", "Sunday"),
    },
    "ticket_status": {
        "opened": ("待受理", "Opened"),
        "accepted": ("已受理", "Accepted"),
        "routed": ("已分流", "Routed"),
        "resolved": ("已办结", "Resolved"),
        "closed": ("已关闭", "Closed"),
        "rejected": ("不予受理", "Rejected"),
    },
    "ticket_kind": {
        "request": ("诉求", "Request"),
        "landing_followup": ("落户跟踪", "Landing follow-up"),
        "supervision": ("督办", "Supervision"),
    },
    "channel": {
        "phone": ("电话", "Phone"),
        "web": ("网上", "Web"),
        "event": ("系统事件", "System event"),
    },
    "breach": {
        "accept": ("受理超时", "Accept overdue"),
        "resolve": ("办结超时", "Resolve overdue"),
    },
    "ticket_category": {
        "registration": ("企业登记", "Registration"),
        "permits": ("审批许可", "Permits"),
        "tax": ("税务", "Tax"),
        "utilities": ("水电气", "Utilities"),
        "land": ("用地", "Land"),
        "talent_policy": ("人才政策", "Talent policy"),
        "finance_subsidies": ("金融与补贴", "Finance and subsidies"),
        "other": ("其他", "Other"),
    },
    "ticket_action": {
        "open": ("登记", "Opened"),
        "accept": ("受理", "Accepted"),
        "route": ("分流", "Routed"),
        "resolve": ("办结", "Resolved"),
        "close": ("关闭", "Closed"),
        "reject": ("不予受理", "Rejected"),
        "escalate": ("督办", "Escalated"),
    },
    "sla_state": {
        "on_track": ("时限内", "On track"),
        "due_soon": ("即将超时", "Due soon"),
        "overdue": ("已超时", "Overdue"),
        "met": ("按时办结", "Resolved in time"),
        "missed": ("超时办结", "Resolved late"),
    },
    "actor_role": {
        "hotline_agent": ("热线坐席", "Hotline agent"),
        "enterprise": ("企业", "Enterprise"),
        "admin": ("系统管理员", "Administrator"),
        "system": ("系统", "System"),
    },
    "dimension": {
        "self_construction": ("自身建设", "Self-construction"),
        "rd_cooperation": ("研发合作", "R&D cooperation"),
        "incubation": ("孵化培育", "Incubation and cultivation"),
        "talent_introduction": ("人才引进", "Talent introduction"),
        "activities": ("活动开展", "Activities held"),
        "bonus": ("加分项目", "Bonus items"),
    },
    "indicator_source": {
        "events": ("系统事件", "From events"),
        "manual": ("手工录入", "Manual entry"),
    },
    "assessment_status": {
        "preview": ("预览", "Preview"),
        "published": ("已公布", "Published"),
    },
    "scoring_rule": {
        "linear": ("按比例", "Linear"),
        "steps": ("按档次", "Steps"),
    },
    "reward_basis": {
        "progress": ("按目标进度", "By progress"),
        "score": ("按考核得分", "By score"),
    },
    "indicator": {
        "talents_high_level": ("引进高层次人才", "High-level talents recruited"),
        "talents_researchers": ("引进科研人员", "Researchers recruited"),
        "talents_total": ("引进人才总数", "Talents recruited, all levels"),
        "agreements_gba": ("与大湾区签订合作意向", "Agreements with GBA partners"),
        "agreements_total": ("合作意向总数", "Agreements, all partners"),
        "projects_matured": ("成熟项目", "Projects matured"),
        "projects_matured_order": ("成熟项目（订单式）", "Projects matured, order path"),
        "projects_matured_menu": ("成熟项目（菜单式）", "Projects matured, menu path"),
        "projects_matured_directed": ("成熟项目（定向式）", "Projects matured, directed path"),
        "projects_matured_delivery": ("成熟项目（配送式）", "Projects matured, delivery path"),
        "projects_transferred": ("转化项目", "Projects transferred"),
        "projects_transferred_order": ("转化项目（订单式）", "Projects transferred, order path"),
        "projects_transferred_menu": ("转化项目（菜单式）", "Projects transferred, menu path"),
        "projects_transferred_directed": (
            "转化项目（定向式）",
            "Projects transferred, directed path",
        ),
        "projects_transferred_delivery": (
            "转化项目（配送式）",
            "Projects transferred, delivery path",
        ),
        "enterprises_settled": ("落户企业", "Enterprises settled"),
        "outcomes_transferred": ("研发成果转化", "R&D outcomes transferred"),
        "hq_enterprises": ("总部经济企业", "HQ-economy enterprises"),
        "activities_held": ("开展活动", "Activities held"),
        "trainings_total": ("531 培训人数", "531 training, all tracks"),
        "trainings_managers": ("培训职业经理人", "Professional managers trained"),
        "trainings_entrepreneurs": ("培训新生代企业家", "New-generation entrepreneurs trained"),
        "trainings_skilled_workers": ("培训技能型人才", "Skilled workers trained"),
        "tickets_resolved_within_sla": ("热线按时办结工单", "Hotline tickets resolved in time"),
        "premises": ("办公场地", "Premises in place"),
        "team": ("专职团队人数", "Full-time staff"),
        "annual_work_plan": ("年度工作计划", "Annual work plan adopted"),
        "monthly_work_plans": ("月度工作计划", "Monthly work plans filed"),
        "rules_published": ("上墙公示制度", "Operating rules on the wall"),
        "honours": ("上级表彰", "Honours from higher authorities"),
        "platforms_created": ("创新平台", "Innovation platforms created"),
    },
    "event_type": {
        "enclave.talent.recruited.v1": ("人才引进", "Talent recruited"),
        "enclave.agreement.signed.v1": ("签订合作意向", "Agreement signed"),
        "enclave.project.matured.v1": ("项目成熟", "Project matured"),
        "enclave.project.transferred.v1": ("项目转化", "Project transferred"),
        "enclave.enterprise.settled.v1": ("企业落户", "Enterprise settled"),
        "enclave.outcome.transferred.v1": ("成果转化", "Outcome transferred"),
        "enclave.hq_enterprise.registered.v1": ("总部经济企业登记", "HQ enterprise registered"),
        "enclave.activity.held.v1": ("活动开展", "Activity held"),
        "enclave.training.completed.v1": ("培训完成", "Training completed"),
        "enclave.ticket.resolved.v1": ("热线工单办结", "Ticket resolved"),
    },
    # The audit trail names an event it has no label for by its record and its verb.
    "audit_entity": {
        "project": ("项目", "Project"),
        "talent": ("人才", "Talent"),
        "ambassador": ("招才大使", "Ambassador"),
        "agreement": ("合作意向", "Agreement"),
        "activity": ("活动", "Activity"),
        "record": ("培训记录", "Training record"),
        "training": ("培训记录", "Training record"),
        "enterprise": ("总部经济企业", "HQ-economy enterprise"),
        "hq_enterprise": ("总部经济企业", "HQ-economy enterprise"),
        "case": ("承接案件", "Case"),
        "ticket": ("热线工单", "Ticket"),
        "demand": ("研发需求", "R&D demand"),
        "menu_item": ("菜单项目", "Menu item"),
    },
    "audit_verb": {
        "registered": ("登记", "Registered"),
        "recruited": ("引进", "Recruited"),
        "appointed": ("聘任", "Appointed"),
        "signed": ("签订", "Signed"),
        "held": ("开展", "Held"),
        "completed": ("完成", "Completed"),
        "stage_changed": ("阶段变更", "Stage changed"),
        "matured": ("成熟", "Matured"),
        "transferred": ("转化", "Transferred"),
        "corrected": ("更正", "Corrected"),
        "voided": ("作废", "Voided"),
        "opened": ("登记", "Opened"),
        "suspended": ("暂停", "Suspended"),
        "resumed": ("恢复", "Resumed"),
        "withdrawn": ("撤回", "Withdrawn"),
        "submitted": ("提交", "Submitted"),
        "published": ("发布", "Published"),
    },
    # The fields a correction names, as the audit trail shows them.
    "record_field": {
        "title": ("名称", "Title"),
        "description": ("简介", "Description"),
        "team_members": ("团队成员", "Team members"),
        "team_talent_ids": ("团队中的飞地人才", "Team talents"),
        "industry_chain": ("产业链", "Industry chain"),
        "layout_category": ("产业布局", "Layout category"),
        "level": ("人才层次", "Level"),
        "field": ("专业领域", "Field"),
        "ambassador_id": ("招才大使", "Ambassador"),
        "partner": ("合作方", "Partner"),
        "kind": ("类型", "Kind"),
        "in_gba": ("是否大湾区", "In the GBA"),
        "signed_on": ("签订日期", "Signed on"),
        "project_id": ("项目", "Project"),
        "project_ids": ("促成的项目", "Projects it led to"),
        "note": ("备注", "Note"),
        "held_on": ("举办日期", "Held on"),
        "attendance": ("参加人数", "Attendance"),
        "place": ("地点", "Place"),
        "track": ("培训类别", "Track"),
        "count": ("人数", "People"),
        "completed_on": ("完成日期", "Completed on"),
        "name": ("名称", "Name"),
        "registered_on": ("登记日期", "Registered on"),
        "recruited_on": ("引进日期", "Recruited on"),
    },
    "role": {
        "enclave_operator": ("飞地运营", "Enclave operator"),
        "zone_officer": ("承接基地专员", "Zone officer"),
        "hotline_agent": ("热线坐席", "Hotline agent"),
        "assessor": ("考核专员", "Assessor"),
        "enterprise": ("企业", "Enterprise"),
        "admin": ("系统管理员", "Administrator"),
        "district_leader": ("区领导", "District leader"),
    },
    "site": {
        "shenzhen": ("深圳飞地", "Shenzhen enclave"),
        "shangrao": ("上饶承接基地", "Shangrao intake base"),
        "district": ("区直", "District"),
    },
    "service": {
        "incubation": ("飞地孵化服务", "Incubation service"),
        "intake": ("承接基地服务", "Intake service"),
        "hotline": ("飞地热线服务", "Hotline service"),
        "assessment": ("考核服务", "Assessment service"),
    },
    "audit": {
        "sign_in": ("登录", "Sign-in"),
        "sign_in_failed": ("登录失败", "Failed sign-in"),
        "lockout": ("账号锁定", "Lockout"),
        "sign_out": ("退出登录", "Sign-out"),
        "session_expired": ("会话过期", "Session expired"),
        "user_added": ("新增用户", "User added"),
        "user_disabled": ("停用用户", "User disabled"),
        "user_enabled": ("启用用户", "User enabled"),
        "password_set": ("重设密码", "Password set"),
    },
}


def label(code: object, kind: str, lang: str) -> str:
    """The label of a code in the language (zh-CN or en); the code itself when unknown."""
    if code is None or code == "":
        return "—"
    text = str(getattr(code, "value", code))
    pair = LABELS.get(kind, {}).get(text)
    if pair is None:
        return text
    return pair[1] if lang == "en" else pair[0]


def choices(kind: str, lang: str) -> list[tuple[str, str]]:
    """(code, label) of every code of a kind, for a <select>."""
    return [(code, pair[1] if lang == "en" else pair[0]) for code, pair in LABELS[kind].items()]
