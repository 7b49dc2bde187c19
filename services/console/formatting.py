"""How pages show dates, times and amounts: 2021-03-10, 1,234,567, 400 万元."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

SITE_ZONE = ZoneInfo("Asia/Shanghai")  # both sites and the district keep China Standard Time

Number = int | float | Decimal | str | None


def as_date(value: date | datetime | str | None) -> str:
    """A date as 2021-03-10; a timestamp is shown on its local (China) date."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = _parse(value)
        if isinstance(value, str):
            return value
    if isinstance(value, datetime):
        value = _local(value).date()
    return value.isoformat()


def as_datetime(value: datetime | str | None) -> str:
    """A timestamp as 2021-03-10 14:05, in China Standard Time."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        parsed = _parse(value)
        if not isinstance(parsed, datetime):
            return as_date(parsed) if isinstance(parsed, date) else value
        value = parsed
    return _local(value).strftime("%Y-%m-%d %H:%M")


def amount(value: Number, places: int | None = None) -> str:
    """A number with thousands separators: 1,234,567 (or 1,234.50 with places=2)."""
    number = _decimal(value)
    if number is None:
        return "—"
    if places is None:
        places = 0 if number == number.to_integral_value() else 2
    return f"{number:,.{places}f}"


def wan(value: Number) -> str:
    """Yuan shown in 万元 (ten thousands), as the source does: 4000000 → 400 万元."""
    number = _decimal(value)
    if number is None:
        return "—"
    in_wan = (number / 10000).quantize(Decimal("0.01"))
    text = f"{in_wan:,.2f}".rstrip("0").rstrip(".")
    return f"{text} 万元"


def percent(value: Number) -> str:
    """A share (0.953) as 95.3%."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number * 100:.1f}%"


def _decimal(value: Number) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _local(value: datetime) -> datetime:
    return value.astimezone(SITE_ZONE) if value.tzinfo else value


def _parse(value: str) -> date | datetime | str:
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value)
    except ValueError:
        return value
