"""Well-being domains: every indicator of one Bright Spots domain with its uncertainty and
comparators, trends, breakdowns, a funnel plot of every LA (others unnamed), and the themes and
actions linked to the domain."""
import polars as pl
import streamlit as st

from dashboard.ui import charts, data, downloads
from dashboard.ui import domains as dm
from dashboard.ui import overview as ov
from dashboard.ui import selection, url
from dashboard.ui.selection import AGE_BANDS, COHORTS

st.title("Well-being domains")
st.markdown("The Bright Spots Well-being Framework has one overarching domain, a good life, and five domains. "
            "Choose one to see every indicator in it: the figure, how sure we can be (the 95% interval), "
            "what it is compared with, and how it has changed.")

choice = selection.current("No local authority has voice data yet. Load survey or record files first (see Start).")

catalogue = data.catalogue()
domain_id = dm.choose_domain(catalogue)
domain = next(d for d in catalogue.domains if d.id == domain_id)
titles = {i.id: i.title for i in catalogue.indicators}
domain_ids = [i.id for i in catalogue.indicators if i.domain == domain_id]

st.header(domain.title)
st.markdown(f"{domain.description}  \n*In children's words: \"{domain.child_friendly}\"*")
st.markdown(f"**{choice.la_name}, {choice.wave}** · {COHORTS[choice.cohort]} · {AGE_BANDS[choice.age_band]}")

table = data.figures(choice, domain_id)          # the domain's figures, once for this run
shown = dm.indicator_table(table)

st.subheader("Every indicator")
if shown.height == 0:
    st.info(f"There are no survey or record figures in {domain.title} for {choice.la_name} in {choice.wave} "
            "for this selection. Choose another wave, cohort or age band in the sidebar.", icon=":material/info:")
else:
    st.markdown(ov.CLASSIFICATION_HELP)
    # A static table, so every column is in view and long words wrap (a scrolling grid cut the last
    # columns off at 1280 pixels wide, with nothing to say they were there); on a narrow screen a
    # line above it says it scrolls sideways.
    charts.wide_table(shown, border="horizontal", label=f"Indicators in {domain.title}")
    charts.show(dm.indicator_figure(table), shown,
                caption=f"Each indicator in {domain.title} for {choice.la_name} in {choice.wave} with its 95% interval "
                        "and the figure for all loaded local authorities (grey bar); shape and colour show the "
                        "classification.",
                key="domain_indicators", filename=f"{domain_id}_{choice.la_code}_{choice.wave}",
                csv=downloads.numeric(ov.voice(ov.headline(table))))
    charts.legend({"c", "low"})
missing = dm.missing_indicators(table, catalogue, domain_id, choice)
if missing:
    with st.expander(f"Indicators of {domain.title} with no figure here ({len(missing)})"):
        st.markdown("\n".join(f"- {m}" for m in missing))
spreads = dm.distributions(catalogue, domain_id)
if spreads:
    st.caption("Also in this domain, as spreads of answers rather than one figure: " + "; ".join(spreads) +
               ". See Participation in reviews and Feedback from direct work.")

dfe_rows = [r for r in ov.headline(table).filter(pl.col("source") == "dfe").iter_rows(named=True)] if table.height else []
if dfe_rows:
    st.subheader("DfE statistics for this domain")
    charts.wide_table(ov.dfe_table(dfe_rows, choice.la_name, catalogue), border="horizontal",
                      label=f"DfE statistics for {domain.title}")
    st.caption(ov.DFE_HELP + " More on the DfE metrics page.")

rate_ids = ov.voice(ov.headline(table))["indicator_id"].to_list() if table.height else []

st.subheader("Trends over waves")
if rate_ids:
    lines = data.trends(choice, [data.series(i, choice) for i in rate_ids])
    trends = dm.trend_table([(titles[i], t) for i, t in zip(rate_ids, lines)], choice.wave)
    charts.show(dm.trend_figure(trends, choice.la_name), trends,
                caption=f"Each indicator for {choice.la_name} in every wave up to {choice.wave}, with 95% intervals; "
                        "the dashed line is all loaded local authorities, and a gap marked hidden (c) is a wave whose "
                        "figure is hidden to protect privacy.",
                key="domain_trends", filename=f"{domain_id}_trends_{choice.la_code}")
else:
    st.caption("No trend to show for this selection.")

# The breakdowns and the funnel plot are folded away until opened: leaving out one of the page's four
# charts took 0.16 to 0.27 s off its median, and with all four drawn it took 1.3 s (p95) to settle from
# the sidebar on national data, 0.94 s with these two folded.
st.subheader("Breakdowns")
breakdowns = url.section("Show the figures by age band, gender or placement type", key="open_breakdowns",
                         params=("by",))
with breakdowns:
    if breakdowns.open:
        options = [b for b in dm.BREAKDOWNS
                   if not (b == "age_band" and (choice.age_band != "all" or choice.cohort == "care_leavers"))]
        breakdown = url.choice(st.radio, "Break the figures down by", options, key="domain_breakdown", param="by",
                               format_func=dm.BREAKDOWNS.get, horizontal=True)
        split = data.figures(choice, domain_id, breakdown=breakdown)
        groups = dm.breakdown_table(split, breakdown)
        if groups.height == 0 and choice.age_band != "all" and breakdown != "age_band":
            st.caption(f"Figures by {dm.BREAKDOWNS[breakdown].lower()} are published for all ages together only: "
                       "within one age band the groups get so small that many would have to be hidden. Choose "
                       "All ages in the sidebar to see them.")
        elif groups.height == 0:
            st.caption(f"No figures by {dm.BREAKDOWNS[breakdown].lower()} in {domain.title} for this selection.")
        else:
            charts.show(dm.breakdown_figure(split, breakdown), groups,
                        caption=f"Each indicator in {domain.title} for {choice.la_name} in {choice.wave} by "
                                f"{dm.BREAKDOWNS[breakdown].lower()}, with 95% intervals; 'c' marks a group hidden to "
                                "protect privacy.",
                        key="domain_breakdown_chart",
                        filename=f"{domain_id}_by_{breakdown}_{choice.la_code}_{choice.wave}",
                        csv=downloads.numeric(ov.voice(split).filter((pl.col("breakdown") == breakdown)
                                                                      & (pl.col("category") == ""))))
            if choice.age_band != "all" or choice.cohort == "care_leavers":
                st.caption("Age bands are compared when the sidebar shows All ages for children in care.")

st.subheader("How this local authority sits among all of them")
among = url.section("Compare with every local authority (funnel plot)", key="open_funnel", params=("funnel",))
with among:
    if among.open:
        if rate_ids:
            pick = url.choice(st.selectbox, "Indicator for the funnel plot", rate_ids, key="funnel_indicator",
                              param="funnel", format_func=titles.get)
            funnel = data.funnel(pick, choice)
            points = dm.funnel_table(funnel, choice.la_code, choice.la_name)
            if points.height == 0:
                st.info("There is no figure for all loaded local authorities to draw a funnel around for this "
                        "indicator and wave.", icon=":material/info:")
            else:
                charts.show(dm.funnel_figure(funnel, points, choice.la_name, titles[pick]), points,
                            caption=f"{titles[pick]} in {choice.wave}: every local authority with a published figure "
                                    "against how many answered, with 95% and 99.8% limits around all loaded local "
                                    f"authorities; {choice.la_name} is the diamond, others are not named.",
                            key="domain_funnel", filename=f"funnel_{pick}_{choice.wave}")
                hidden = funnel["hidden_las"]
                notes = [f"{hidden} local authorit{'y is' if hidden == 1 else 'ies are'} not shown because "
                         "their figure is hidden (c) to protect privacy."] if hidden else []
                if choice.la_name not in points["Local authority"].to_list():
                    notes.append(f"{choice.la_name}'s own figure is hidden or missing for this wave, "
                                 "so it is not on the plot.")
                if notes:
                    st.caption(" ".join(notes))
            st.markdown(dm.FUNNEL_HELP)
        else:
            st.caption("No indicator here has a figure to compare.")

st.subheader("What children said and what was done")
actions = data.actions_for_la(choice.la_code)
with_theme = dm.theme_actions(actions, domain_ids)
if with_theme.height:
    themes = dm.linked_themes(with_theme, data.theme_counts(choice.la_code), titles)
    st.markdown("Themes from participation work that \"you said, we did\" actions link to this domain's indicators, "
                f"with how many records of each theme {choice.la_name} holds (all years):")
    charts.wide_table(themes, border="horizontal", label=f"Themes linked to {domain.title}")
    st.caption("A count of 1 to 5 records, or one that would let a hidden count be worked out, is shown as c.")
else:
    st.info(f"No \"you said, we did\" action links a theme to an indicator in {domain.title} for {choice.la_name}, "
            "so no themes are shown beside these figures. Themes are on the Themes page.", icon=":material/forum:")
linked = dm.domain_actions(actions, domain_ids, titles)
if linked.height:
    st.markdown(f"**Actions on this domain's indicators** ({linked.height})")
    charts.wide_table(linked, border="horizontal", label=f"Actions on {domain.title}")
else:
    st.caption(f"No action on record answers an indicator in {domain.title} for {choice.la_name}.")
