"""Statistics count days in the configured zone (WITA by default), as the console shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from lapor_nlp.service.stats import StatsService, local_day
from lapor_nlp.settings import Settings

WITA = ZoneInfo("Asia/Makassar")


def test_a_late_utc_evening_is_the_next_wita_day() -> None:
    evening = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # 01.30 WITA on 1 December
    assert local_day(evening, WITA).isoformat() == "2026-12-01"
    assert local_day(evening.replace(tzinfo=None), WITA).isoformat() == "2026-12-01"
    assert local_day(evening, UTC).isoformat() == "2026-11-30"
    rows = [("C-1", evening, "DPUPR", "review"), ("C-2", evening, "DPUPR", "auto")]
    assert StatsService._per_day(rows, WITA) == [{"day": "2026-12-01", "opd": "DPUPR", "count": 2}]


def test_the_timezone_setting_defaults_to_wita_and_refuses_unknown_zones() -> None:
    assert Settings().timezone == "Asia/Makassar"
    assert Settings(timezone="Asia/Jakarta").zone == ZoneInfo("Asia/Jakarta")
    with pytest.raises(ValueError, match="unknown IANA time zone 'Mars/Olympus'"):
        Settings(timezone="Mars/Olympus")
