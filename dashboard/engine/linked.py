"""Indicators that count the same people are gated together.

The review measures (PN codes in the recommended scheme, in the current scheme, and rates built on
them) all count the same reviews: recommended PN3 is the same reviews as current PN2, "views given"
is recommended PN1 to PN5 added up, and so on. Gated one by one, a figure hidden in one could be
worked out from figures published in another. Here they form one family, with constraints that
say exactly how their figures relate, derived from the crosswalk in dashboard/pn_codes.py.
"""
from __future__ import annotations

from dashboard.catalogue import RecordIndicator
from dashboard.disclosure import AUX, Cell, Family
from dashboard.pn_codes import CROSSWALK, MEANINGS

PN_SQL = ("pn_code_distribution", "participation_rate")
NOT_MAPPED = "not mapped"   # the category of reviews that cannot be mapped (queries/pn_code_distribution.sql)


def group_of(ind) -> str | None:
    if isinstance(ind, RecordIndicator) and ind.sql in PN_SQL:
        return "reviews"
    return None


def _schemes(inds: list[RecordIndicator]) -> tuple[dict[str, str], list[RecordIndicator], list[RecordIndicator]]:
    """scheme -> the distribution indicator reporting every code in it; the rate indicators; and
    the distributions that publish codes together (categories_published_together)."""
    dists = {str(i.params["scheme"]): i.id for i in inds
             if i.shape == "distribution" and not i.categories_published_together}
    rates = [i for i in inds if i.shape == "rate"]
    grouped = [i for i in inds if i.shape == "distribution" and i.categories_published_together]
    for other in [*rates, *grouped]:
        if str(other.params["scheme"]) not in dists:
            raise ValueError(f"indicator {other.id}: a PN rate or grouped distribution needs the PN code "
                             f"distribution of its scheme ({other.params['scheme']}) in the catalogue, to be "
                             "gated with it")
    return dists, rates, grouped


def review_links(inds: list[RecordIndicator]):
    """The link function for gate_many over the review indicators `inds`."""
    dists, rates, grouped = _schemes(inds)
    rec, cur = dists.get("recommended"), dists.get("current")
    one_to_one = [(c, r[0]) for c, r in CROSSWALK.items() if len(r) == 1]   # current -> recommended
    unmappable = [c for c, r in CROSSWALK.items() if len(r) != 1]           # PN0, PN7
    ambiguous = sorted({x for c, r in CROSSWALK.items() if len(r) > 1 for x in r})  # PN7, PN8

    def link(family: Family, ids_by: dict[str, list[tuple]]) -> None:
        groups = sorted({cid[1:5] for ids in ids_by.values() for cid in ids}, key=str)
        for la, band, bd, grp in groups:
            def cell(iid, category):
                return (iid, la, band, bd, grp, category)

            if rec and cur:
                # The codes that map one to one are the same reviews in both schemes: the same
                # figure, one cell. Both totals are all reviews.
                for c, r in one_to_one:
                    family.same(cell(rec, r), cell(cur, c))
                family.same(cell(rec, ""), cell(cur, ""))
                # Current PN0 + PN7 = recommended PN7 + PN8 + not mapped: an auxiliary sum, never shown.
                aux = ("reviews_aux", la, band, bd, grp, "pn0_pn7")
                family.add(Cell(aux, 0, 0, status=AUX))
                family.tie(aux, [cell(cur, c) for c in unmappable])
                family.tie(aux, [cell(rec, r) for r in ambiguous] + [cell(rec, NOT_MAPPED)])
            for rate in rates:
                dist = dists[str(rate.params["scheme"])]
                codes = [str(c) for c in rate.params.get("codes", [])]
                # The rate's count is its codes added up, and its base the distribution's total.
                family.tie(cell(rate.id, ""), [cell(dist, c) for c in codes])
                family.shows(cell(dist, ""), [cell(rate.id, "")])
            for dist_g in grouped:
                dist = dists[str(dist_g.params["scheme"])]
                # Each published group is its codes added up; both totals are all reviews.
                family.same(cell(dist, ""), cell(dist_g.id, ""))
                members: dict[str, list[str]] = {}
                for code in [*MEANINGS[str(dist_g.params["scheme"])], NOT_MAPPED]:
                    members.setdefault(dist_g.categories_published_together.get(code, code), []).append(code)
                for published, codes in sorted(members.items()):
                    family.tie(cell(dist_g.id, published), [cell(dist, c) for c in codes])
                # A rate of the same scheme whose codes are whole groups is those groups added up
                # (the per-code distribution may not be published for this group at all).
                for rate in rates:
                    if str(rate.params["scheme"]) != str(dist_g.params["scheme"]):
                        continue
                    codes = {str(c) for c in rate.params.get("codes", [])}
                    groups = [g for g, m in sorted(members.items()) if set(m) & codes]
                    if all(set(members[g]) <= codes for g in groups):
                        family.tie(cell(rate.id, ""), [cell(dist_g.id, g) for g in groups])
                        family.shows(cell(dist_g.id, ""), [cell(rate.id, "")])
    return link
