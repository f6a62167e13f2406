"""Who is looking: sign-in (Streamlit's OpenID Connect), the roles file, and what each role sees.

Two modes:
- signed-in mode, when Streamlit's secrets have an [auth] section: every reader signs in with the
  council's identity provider (st.login); the roles file (VOICE_ROLES) says, by email, which role
  each person has and for which LAs. A person not in it sees nothing but a "no access" page.
- local single-user mode, when sign-in is not configured: one person on this computer, who sees
  everything; `voice-dashboard serve` then refuses to listen anywhere but 127.0.0.1, and every page
  says so in a banner.

Roles file (YAML):

    people:
      - email: sam.leader@council.example
        role: leader            # leader, panel, participation, young_inspector, analyst, admin
        las: [E10000016]        # the LAs this person may choose; or: all
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from dashboard.problems import UserError
from dashboard.reference import la_reference

ROLES = ("leader", "panel", "participation", "young_inspector", "analyst", "admin")
ALL_LAS = "all"
LOCAL_EMAIL = "local"
_LA_CODE = re.compile(r"E[0-9]{8}")

# The pages (url paths, as in dashboard/app.py) of each role. None: every page. A page added later
# is seen by the roles with every page until it is added to a list here.
ROLE_PAGES: dict[str, frozenset[str] | None] = {
    "leader": None,
    "analyst": None,
    "admin": None,
    "panel": frozenset({"start", "overview", "domains", "actions", "panel_report", "young_inspectors",
                        "data_and_methods"}),
    "participation": frozenset({"start", "participation", "feedback", "themes", "listening", "statement", "actions",
                                "young_inspectors", "data_and_methods"}),
    # A young inspector sees their own page only, in plain words.
    "young_inspector": frozenset({"young_inspectors"}),
}


@dataclass(frozen=True)
class Person:
    email: str
    role: str
    las: frozenset[str] | None      # None: every LA

    @property
    def sees_detail(self) -> bool:
        """Load history and data-quality detail (file names, fingerprints, the database file): admin only."""
        return self.role == "admin"

    @property
    def may_write_statement(self) -> bool:
        """The council's own words in the annual statement (data set 1a): admin only."""
        return self.role == "admin"

    @property
    def may_assess_participation(self) -> bool:
        """The Lundy self-assessment of each way the LA listens: admin or a participation lead."""
        return self.role in ("admin", "participation")

    def may_see_page(self, url_path: str) -> bool:
        pages = ROLE_PAGES[self.role]
        return pages is None or url_path in pages

    def may_see_la(self, la_code: str) -> bool:
        return self.las is None or la_code in self.las


LOCAL_PERSON = Person(LOCAL_EMAIL, "admin", None)


def roles_path(given: str | Path | None = None) -> Path | None:
    value = given or os.environ.get("VOICE_ROLES")
    return Path(value) if value else None


def read_roles(path: Path) -> dict[str, Person]:
    """The roles file, by lower-cased email; every mistake named with the entry and what was expected."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"roles file {path} does not exist (VOICE_ROLES or --roles)") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"roles file {path} cannot be read as YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("people"), list):
        raise UserError(f"roles file {path}: expected a list under 'people:' (see README, Sign-in and roles)")
    people: dict[str, Person] = {}
    problems = []
    for n, entry in enumerate(raw["people"], start=1):
        where = f"{path}, person {n}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected email, role and las")
            continue
        email = str(entry.get("email") or "").strip().lower()
        role = entry.get("role")
        las = entry.get("las")
        if "@" not in email:
            problems.append(f"{where}: email {entry.get('email')!r} is not an email address")
        if role not in ROLES:
            problems.append(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        if las == ALL_LAS:
            granted = None
        elif isinstance(las, list) and las and all(isinstance(c, str) and _LA_CODE.fullmatch(c) for c in las):
            granted = frozenset(las)
            known = la_reference().by_code
            for code in (c for c in las if c not in known):   # a typo would grant nothing, silently
                problems.append(f"{where}: las: {code} is not the code of an English local authority "
                                "(see 'Local authority codes' in the README)")
        else:
            problems.append(f"{where}: las {las!r} should be a list of LA codes (such as [E10000016]) or 'all'")
            continue
        if email in people:
            problems.append(f"{where}: {email} is listed twice")
        if not any(p.startswith(where + ":") for p in problems):
            people[email] = Person(email, role, granted)
    if problems:
        raise UserError("; ".join(problems))
    return people


def find(people: dict[str, Person], email: str | None) -> Person | None:
    return people.get((email or "").strip().lower())


# Streamlit gives the default page the url path "" (the app's root); it is dashboard/app.py's start page.
DEFAULT_PAGE = "start"


def visible_sections(sections: dict[str, list], person: Person) -> dict[str, list]:
    """The navigation sections with only the pages this person's role sees (empty sections dropped)."""
    out = {}
    for name, pages in sections.items():
        kept = [p for p in pages if person.may_see_page(p.url_path or DEFAULT_PAGE)]
        if kept:
            out[name] = kept
    return out
