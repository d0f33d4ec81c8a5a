"""SMS facts: GSM-7 and UCS-2 segment counting, and the one table of countries and their
calling codes (where a short code of each country can send; a number's country)."""

from __future__ import annotations

_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")  # two septets each
_GSM_ALL = frozenset(_GSM | _GSM_EXTENDED)

# Where a short code of each country can send (its country calling code); a short code
# of a country not listed here may send to any valid number.
CALLING_CODES = {
    "US": "1", "CA": "1", "GB": "44", "IE": "353", "AU": "61", "NZ": "64", "DE": "49",
    "FR": "33", "ES": "34", "IT": "39", "NL": "31", "BE": "32", "SE": "46", "NO": "47",
    "DK": "45", "FI": "358", "CH": "41", "AT": "43", "PL": "48", "PT": "351", "MX": "52",
    "BR": "55", "IN": "91", "JP": "81", "SG": "65", "HK": "852", "ZA": "27",
}  # fmt: skip
# The longest calling code first; +1 is the US's (listed before Canada's).
_PREFIXES = sorted(
    {f"+{code}": country for country, code in reversed(CALLING_CODES.items())}.items(),
    key=lambda item: -len(item[0]),
)


def segments(body: str) -> int:
    """SMS segments: 160 GSM-7 septets (153 a part when split; the extension characters
    take two), else 70 UCS-2 code units (67 a part; characters beyond the BMP take two).
    No character is split across parts: one that does not fit whole in a part starts the
    next, as Twilio's segment calculator does (``a`` * 152 + ``€`` + ``a`` * 152 is 306
    septets, but three parts)."""
    if _GSM_ALL.issuperset(body):
        single, multi, wide = 160, 153, _GSM_EXTENDED
        sizes = [2 if c in wide else 1 for c in body]
    else:
        single, multi = 70, 67
        sizes = [2 if c > "\uffff" else 1 for c in body]
    if sum(sizes) <= single:
        return 1
    parts, used = 1, 0
    for size in sizes:
        if used + size > multi:
            parts, used = parts + 1, 0
        used += size
    return parts


def country_of(number: str) -> str:
    """The ISO country of an E.164 number, by its calling code ("" when not in the table)."""
    return next((country for prefix, country in _PREFIXES if number.startswith(prefix)), "")
