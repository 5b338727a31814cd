# Day month year with a 24-hour clock: unambiguous for members on every continent, and no trailing full stop.
DATE_FORMAT = "j M Y"  # 14 Dec 2026
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j M Y, H:i"  # 14 Dec 2026, 09:30
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
