"""Next solar dates of a festival, from its catalogued calendar fields."""

from .lunar import Occurrence, next_occurrences, today_in_vietnam


def next_occurrences_for(festival, after=None, count: int = 2) -> list[Occurrence]:
    """Upcoming occurrences, or [] when the date cannot be computed.

    Festivals on the Cham calendar or without a fixed day (e.g. "first Dragon day") have no
    computable date; their page shows the recurrence note instead of a guess.
    """
    if festival.calendar not in ("lunar", "solar") or not festival.month or not festival.day_start:
        return []
    return next_occurrences(
        festival.calendar,
        festival.month,
        festival.day_start,
        festival.day_end,
        leap=festival.leap_month,
        after=after or today_in_vietnam(),
        count=count,
    )
