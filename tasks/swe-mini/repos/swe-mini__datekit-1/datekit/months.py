"""Month arithmetic."""
import datetime

from .calendar import days_in_month


def add_months(date, months):
    """Add (or subtract) whole months; the day is clamped to the end of the target month."""
    total = date.year * 12 + (date.month - 1) + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    day = min(date.day, days_in_month(year, month))
    return datetime.date(year, month, day)


def month_end(date):
    return date.replace(day=days_in_month(date.year, date.month))
