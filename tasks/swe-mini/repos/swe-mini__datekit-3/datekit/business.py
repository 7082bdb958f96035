"""Business days (Monday to Friday), with optional holidays."""
import datetime

_ONE_DAY = datetime.timedelta(days=1)


def is_business_day(date, holidays=()):
    return date.weekday() < 5 and date not in holidays


def business_days_between(start, end, holidays=()):
    """Number of business days d with start <= d < end (negative if end is before start)."""
    if end < start:
        return business_days_between(end, start, holidays)
    count = 0
    day = start
    while day < end:
        if is_business_day(day, holidays):
            count += 1
        day += _ONE_DAY
    return count


def next_business_day(date, holidays=()):
    """The first business day strictly after `date`."""
    day = date + _ONE_DAY
    while not is_business_day(day, holidays):
        day += _ONE_DAY
    return day
