"""Italian formats where Django's own differ from how Italian style guides write dates (see trama/formats).

Only what differs is here; Django's Italian module gives the rest (d/m/Y for short dates, the
decimal comma, the point between thousands).
"""

DATE_FORMAT = "j F Y"  # 9 dicembre 2026, not 09 dicembre 2026
DATETIME_FORMAT = "l j F Y, H:i"  # mercoledì 9 dicembre 2026, 18:00
