""" "Today" in the organisation's time zone (RECTIFY_TZ, default Asia/Shanghai), not the
server's: deadline days and the date an export is generated on follow it."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Asia/Shanghai"


def zone() -> ZoneInfo:
    try:
        return ZoneInfo(os.environ.get("RECTIFY_TZ") or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def today() -> date:
    return datetime.now(zone()).date()


def local(moment: datetime) -> datetime:
    """A moment in the organisation's time zone: one without a zone is the server's clock
    (the warehouse keeps load times so), converted from the server's own zone."""
    return moment.astimezone(zone())
