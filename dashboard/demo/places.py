"""The real English local authorities the synthetic demo is built around.

Codes, names and regions come from the product's own LA reference. The statistical
neighbours are the DfE's real 2025 model (sn_model_2025_wide.csv), copied here once for these
twelve areas so that the demo builds without the shared data folder. Everything else about
these areas in the demo (sizes, survey answers, statistics) is invented.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.reference import LocalAuthority, la_reference

# old LA code -> (approximate children aged 0-17, children looked after per 10,000, survey
# response rate): invented but of a plausible order for an area of that kind.
FOCUS = {
    "886": (340_000, 62, 0.30),   # Kent: county, South East
    "352": (125_000, 98, 0.22),   # Manchester: metropolitan district, North West
    "204": (58_000, 68, 0.28),    # Hackney: inner London borough
    "302": (92_000, 36, 0.35),    # Barnet: outer London borough
    "383": (178_000, 76, 0.26),   # Leeds: metropolitan district, Yorkshire and The Humber
    "891": (172_000, 58, 0.24),   # Nottinghamshire: county, East Midlands
    "831": (60_000, 104, 0.27),   # Derby: unitary, East Midlands
    "330": (285_000, 68, 0.18),   # Birmingham: metropolitan district, West Midlands
    "926": (182_000, 64, 0.25),   # Norfolk: county, East of England
    "801": (95_000, 66, 0.31),    # Bristol: unitary, South West
    "908": (106_000, 54, 0.33),   # Cornwall: unitary, South West
    "805": (20_000, 168, 0.36),   # Hartlepool: small unitary, North East
}

# The DfE 2025 statistical neighbour model: old code -> ten (neighbour old code, closeness),
# closest first, exactly as published (including the trailing space of "Close ").
NEIGHBOURS_2025 = {
    "886": [("881", "Very close"), ("845", "Very close"), ("878", "Very close"), ("303", "Very close"),
            ("935", "Very close"), ("926", "Very close"), ("891", "Very close"), ("938", "Very close"),
            ("822", "Very close"), ("933", "Very close")],
    "352": [("892", "Very close"), ("330", "Very close"), ("391", "Close "), ("308", "Somewhat close"),
            ("380", "Somewhat close"), ("355", "Somewhat close"), ("806", "Somewhat close"),
            ("852", "Somewhat close"), ("309", "Somewhat close"), ("353", "Somewhat close")],
    "204": [("210", "Somewhat close"), ("206", "Somewhat close"), ("309", "Somewhat close"),
            ("208", "Somewhat close"), ("211", "Somewhat close"), ("209", "Somewhat close"),
            ("202", "Somewhat close"), ("352", "Not close"), ("320", "Not close"), ("213", "Not close")],
    "302": [("320", "Close "), ("870", "Close "), ("310", "Close "), ("317", "Close "), ("315", "Close "),
            ("306", "Close "), ("209", "Close "), ("312", "Close "), ("309", "Close "), ("307", "Close ")],
    "383": [("851", "Very close"), ("882", "Very close"), ("373", "Very close"), ("826", "Close "),
            ("382", "Close "), ("355", "Close "), ("801", "Close "), ("852", "Close "), ("306", "Close "),
            ("839", "Close ")],
    "891": [("830", "Extremely close"), ("935", "Very close"), ("933", "Very close"), ("886", "Very close"),
            ("926", "Very close"), ("937", "Very close"), ("855", "Very close"), ("802", "Very close"),
            ("860", "Very close"), ("888", "Very close")],
    "831": [("331", "Very close"), ("350", "Very close"), ("335", "Very close"), ("852", "Very close"),
            ("382", "Very close"), ("874", "Very close"), ("354", "Very close"), ("373", "Very close"),
            ("357", "Close "), ("861", "Close ")],
    "330": [("892", "Very close"), ("352", "Very close"), ("380", "Very close"), ("391", "Close "),
            ("353", "Close "), ("889", "Close "), ("373", "Close "), ("806", "Close "), ("852", "Close "),
            ("355", "Close ")],
    "926": [("935", "Very close"), ("908", "Very close"), ("878", "Very close"), ("830", "Very close"),
            ("929", "Very close"), ("886", "Very close"), ("933", "Very close"), ("925", "Very close"),
            ("891", "Very close"), ("887", "Very close")],
    "801": [("846", "Close "), ("383", "Close "), ("882", "Close "), ("373", "Close "), ("826", "Close "),
            ("851", "Close "), ("870", "Close "), ("302", "Close "), ("839", "Somewhat close"),
            ("382", "Somewhat close")],
    "908": [("926", "Very close"), ("351", "Very close"), ("845", "Very close"), ("830", "Very close"),
            ("929", "Very close"), ("935", "Very close"), ("878", "Very close"), ("891", "Very close"),
            ("888", "Very close"), ("886", "Very close")],
    "805": [("807", "Very close"), ("394", "Very close"), ("393", "Very close"), ("890", "Very close"),
            ("806", "Close "), ("390", "Close "), ("840", "Close "), ("876", "Close "), ("372", "Close "),
            ("340", "Close ")],
}

# Region as the neighbour file writes it: (region_ind, region_name); London is one region there.
SN_REGION = {
    "E12000004": ("1", "East Midlands"), "E12000006": ("2", "East of England"),
    "E12000007": ("3", "London"), "E13000001": ("3", "London"), "E13000002": ("3", "London"),
    "E12000001": ("4", "North East"), "E12000002": ("5", "North West"), "E12000008": ("6", "South East"),
    "E12000009": ("7", "South West"), "E12000005": ("8", "West Midlands"),
    "E12000003": ("9", "Yorkshire and The Humber"),
}
ENGLAND = ("E92000001", "England")
LONDON = ("E12000007", "London")


@dataclass(frozen=True)
class Area:
    la: LocalAuthority
    children: int          # population aged 0-17
    cla_rate: int          # children looked after per 10,000
    response_rate: float   # share of children in care answering a Bright Spots survey

    @property
    def code(self) -> str:
        return self.la.la_code

    @property
    def old(self) -> str:
        return self.la.old_la_code

    @property
    def name(self) -> str:
        return self.la.la_name

    @property
    def cla(self) -> int:
        return round(self.children * self.cla_rate / 10_000)


def focus_areas() -> list[Area]:
    """The twelve demo LAs, in a fixed order."""
    ref = la_reference()
    out = []
    for old, (children, rate, response) in FOCUS.items():
        out.append(Area(ref.by_code[ref.canonical(old)], children, rate, response))
    return out


def neighbour_las() -> list[LocalAuthority]:
    """Every statistical neighbour of a demo LA that is not a demo LA itself, by old code."""
    ref = la_reference()
    seen: dict[str, LocalAuthority] = {}
    for old, nbs in NEIGHBOURS_2025.items():
        for code, _ in nbs:
            if code not in FOCUS and code not in seen:
                seen[code] = ref.by_code[ref.canonical(code)]
    return [seen[c] for c in sorted(seen)]
