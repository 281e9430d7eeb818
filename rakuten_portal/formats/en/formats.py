"""English dates the British way, on the 24-hour clock the French pages use (Django's plain "en" is American)."""
from django.conf.locale.en_GB.formats import *  # noqa: F403 — input formats, first day of week, separators

DATE_FORMAT = "j F Y"  # 25 November 2026
TIME_FORMAT = "H:i"  # 17:05
DATETIME_FORMAT = "j F Y, H:i"  # 25 November 2026, 17:05
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 25/11/2026 17:05
