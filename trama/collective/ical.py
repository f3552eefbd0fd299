"""The iCalendar feed of public meetings (RFC 5545), written by hand: it is a few lines.

Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); text values
escape backslash, semicolon, comma and newlines; times are in UTC; each event's UID depends
only on the meeting, so calendar clients update an event instead of duplicating it.
"""

from datetime import UTC, timedelta

from django.utils import timezone

PAST_DAYS = 90
MAX_EVENTS = 500
# An event whose end was not given lasts this long in the feed.
DEFAULT_DURATION = timedelta(hours=1)
LINE_OCTETS = 75


def escape(text):
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped."""
    text = str(text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """Split a content line into pieces of at most 75 octets, continuation lines starting with a space."""
    out, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, LINE_OCTETS
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def where(meeting):
    """The place as the public may read it: a place not shown to the public reads as its neighbourhood."""
    place = meeting.place
    if place is not None and place.is_public:
        return ", ".join(part for part in (place.name, place.address, meeting.neighbourhood.name) if part)
    return meeting.neighbourhood.name


def event(meeting, city, stamp, url=""):
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{city.slug}.trama",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(meeting.ends_at or meeting.starts_at + DEFAULT_DURATION)}",
        f"SUMMARY:{escape(meeting.title)}",
        f"LOCATION:{escape(where(meeting))}",
        f"CATEGORIES:{escape(meeting.get_kind_display())}",
    ]
    if meeting.agenda:
        lines.append(f"DESCRIPTION:{escape(meeting.agenda)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings, *, city, name, url_for=None, now=None):
    """The whole VCALENDAR as a string of CRLF-terminated, folded lines."""
    stamp = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Trama//Incontri pubblici//IT",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for meeting in meetings:
        lines.extend(event(meeting, city, stamp, url_for(meeting) if url_for else ""))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
