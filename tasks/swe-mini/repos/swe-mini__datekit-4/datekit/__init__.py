"""Date helpers."""
from .business import business_days_between, next_business_day
from .calendar import days_in_month, days_in_year, is_leap
from .durations import format_duration, parse_duration
from .months import add_months, month_end

__all__ = [
    "is_leap", "days_in_month", "days_in_year", "add_months", "month_end",
    "business_days_between", "next_business_day", "parse_duration", "format_duration",
]
