"""Checks defcoop's calendars with an independent iCalendar parser (the `icalendar` package).

    python check_ics.py SPEC.json

SPEC.json names the calendars to read and what each must hold:

    {"calendars": [
       {"name": "dapa-officer's feed", "file": "/tmp/x/dapa.ics",
        "zones": ["Asia/Seoul", "Europe/Brussels"],      # exactly these VTIMEZONEs
        "events": {                                       # these events, at these times
           "meeting-inaugural-meeting@defcoop":
               {"tzid": "Europe/Brussels", "start_utc": "2025-11-20T09:00:00+00:00"},
           "engagement-seok-kubilius-brussels@defcoop": {"date": "2025-04-23"}},
        "absent": ["meeting-secret-talks@defcoop"]}]}    # and none of these

For every calendar: it parses as one VCALENDAR (version 2.0); its lines end in CRLF and are
at most 75 octets; every event has a UID, a DTSTAMP, a DTSTART and a SUMMARY; every TZID an
event names has its VTIMEZONE in the calendar; and each timed start and end, converted to UTC
with the calendar's own VTIMEZONE alone, is the instant Python's tz database gives for the
same local time and zone. Prints one line per calendar; exits 1 naming every failure.
"""

import datetime
import json
import sys
import zoneinfo

import icalendar

UTC = datetime.timezone.utc


def utc_with(naive, tz):
    return naive.replace(tzinfo=tz).astimezone(UTC)


def check(spec):
    problems = []
    name = spec["name"]

    def fail(message):
        problems.append(f"{name}: {message}")

    with open(spec["file"], "rb") as f:
        raw = f.read()
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        fail("the calendar does not end with CRLF")
    for n, line in enumerate(lines[:-1], 1):
        if b"\n" in line or b"\r" in line:
            fail(f"line {n} is not ended by CRLF")
        if len(line) > 75:
            fail(f"line {n} is {len(line)} octets long (at most 75)")

    cal = icalendar.Calendar.from_ical(raw)
    if cal.name != "VCALENDAR" or str(cal.get("VERSION")) != "2.0":
        fail("not an iCalendar 2.0 VCALENDAR")

    zones = {}
    for tz in cal.walk("VTIMEZONE"):
        zones[str(tz["TZID"])] = tz.to_tz(lookup_tzid=False)
    if "zones" in spec and sorted(zones) != sorted(spec["zones"]):
        fail(f"VTIMEZONEs {sorted(zones)}, expected {sorted(spec['zones'])}")

    events = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID", ""))
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if prop not in ev:
                fail(f"event {uid or '?'} has no {prop}")
        if uid in events:
            fail(f"event {uid} is there twice")
        seen = {"summary": str(ev.get("SUMMARY", ""))}
        for prop in ("DTSTART", "DTEND"):
            if prop not in ev:
                continue
            value = ev[prop]
            tzid = value.params.get("TZID")
            when = value.dt
            if tzid is None:
                if isinstance(when, datetime.datetime):
                    fail(f"{uid}: {prop} is a floating or UTC time, not in a zone")
                seen[prop] = {"date": when.isoformat()}
                continue
            if tzid not in zones:
                fail(f"{uid}: {prop} names TZID {tzid}, which has no VTIMEZONE")
                continue
            naive = when.replace(tzinfo=None)
            by_calendar = utc_with(naive, zones[tzid])
            by_python = utc_with(naive, zoneinfo.ZoneInfo(tzid))
            if by_calendar != by_python:
                fail(
                    f"{uid}: {prop} {naive} in {tzid} is {by_calendar} by the calendar's "
                    f"VTIMEZONE but {by_python} by Python's tz database"
                )
            seen[prop] = {"tzid": tzid, "utc": by_calendar.isoformat()}
        events[uid] = seen

    for uid, want in spec.get("events", {}).items():
        got = events.get(uid)
        if got is None:
            fail(f"event {uid} is missing")
            continue
        start = got.get("DTSTART", {})
        if "date" in want and start.get("date") != want["date"]:
            fail(f"{uid}: starts {start}, expected the day {want['date']}")
        if "tzid" in want and start.get("tzid") != want["tzid"]:
            fail(f"{uid}: starts in {start.get('tzid')}, expected {want['tzid']}")
        if "start_utc" in want and start.get("utc") != want["start_utc"]:
            fail(f"{uid}: starts {start.get('utc')} UTC, expected {want['start_utc']}")
        if "summary" in want and got["summary"] != want["summary"]:
            fail(f"{uid}: summary {got['summary']!r}, expected {want['summary']!r}")
    for uid in spec.get("absent", []):
        if uid in events:
            fail(f"event {uid} must not be there")

    if not problems:
        print(
            f"ok: {name}: {len(events)} event(s), VTIMEZONEs {', '.join(sorted(zones)) or 'none'}"
        )
    return problems


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    print(f"icalendar {icalendar.__version__}")
    problems = []
    for calendar in spec["calendars"]:
        problems.extend(check(calendar))
    for p in problems:
        print(f"FAIL: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
