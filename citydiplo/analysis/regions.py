"""World regions and the Global South, by ISO 3166-1 alpha-2 country code.

Regions are the United Nations M49 regions (https://unstats.un.org/unsd/methodology/m49/), with the
Americas split into Latin America and the Caribbean and Northern America, as M49 itself does. Taiwan
(not listed by M49) and Kosovo (not an M49 area) are placed in their geographic region.

"Global South" follows the UN Statistics Division's note on the M49 "developed" and "developing"
regions (the distinction UNSD published until December 2021): "In common practice, Japan in Asia,
Canada and the United States in northern America, Australia and New Zealand in Oceania, and Europe
are considered developed regions or areas." Everything else counts as Global South, which is the
reading used by the UN South-South cooperation office. So, literally applied: Israel, Cyprus, the
Republic of Korea and Singapore are "South" under this list; Bermuda, Greenland and Saint Pierre and
Miquelon (Northern America) are "North". The list is deliberately a data table here, not a judgement
made in code: change it in one place if an office prefers another convention (G77 membership, say).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AFRICA = "africa"
LATIN_AMERICA = "latin_america"
NORTHERN_AMERICA = "northern_america"
ASIA = "asia"
EUROPE = "europe"
OCEANIA = "oceania"

REGION_NAMES = {
    AFRICA: _("Africa"),
    LATIN_AMERICA: _("Latin America and the Caribbean"),
    NORTHERN_AMERICA: _("Northern America"),
    ASIA: _("Asia"),
    EUROPE: _("Europe"),
    OCEANIA: _("Oceania"),
}

_MEMBERS = {
    AFRICA: (
        # Northern, Eastern, Middle, Southern and Western Africa.
        "DZ EG LY MA SD TN EH "
        "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW IO TF "
        "AO CM CF TD CG CD GQ GA ST "
        "BW SZ LS NA ZA "
        "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"
    ),
    LATIN_AMERICA: (
        # Caribbean, Central America, South America.
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
        "BZ CR SV GT HN MX NI PA "
        "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"
    ),
    NORTHERN_AMERICA: "BM CA GL PM US",
    ASIA: (
        # Central, Eastern, South-eastern, Southern and Western Asia.
        "KZ KG TJ TM UZ "
        "CN HK MO KP JP MN KR TW "
        "BN KH ID LA MY MM PH SG TH TL VN "
        "AF BD BT IN IR MV NP PK LK "
        "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"
    ),
    EUROPE: (
        # Eastern, Northern, Southern and Western Europe.
        "BY BG CZ HU PL MD RO RU SK UA "
        "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB "
        "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK "
        "AT BE FR DE LI LU MC NL CH"
    ),
    OCEANIA: (
        # Australia and New Zealand, Melanesia, Micronesia, Polynesia.
        "AU NZ NF HM CX CC FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF"
    ),
}

REGION_OF: dict[str, str] = {code: region for region, codes in _MEMBERS.items() for code in codes.split()}

# The "developed regions" of the UNSD note quoted above; every other known country is Global South.
_NORTH = {code for code, region in REGION_OF.items() if region in (EUROPE, NORTHERN_AMERICA)} | {
    "JP",
    "AU",
    "NZ",
}
GLOBAL_SOUTH: frozenset[str] = frozenset(set(REGION_OF) - _NORTH)


def region_of(country: str) -> str:
    """The M49 region key of an ISO alpha-2 code, or "" when unknown or empty."""
    return REGION_OF.get((country or "").upper(), "")


def is_global_south(country: str) -> bool | None:
    """True or False for a known country, None when the country is unknown (left out of shares)."""
    code = (country or "").upper()
    if code not in REGION_OF:
        return None
    return code in GLOBAL_SOUTH
