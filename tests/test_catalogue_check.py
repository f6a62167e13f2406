"""`voice-dashboard catalogue check [PATH]`: each kind of mistake an analyst can make in the indicator
catalogue is found and reported with its file, line, field and a plain-English message.

Every test copies the real indicators/ folder to a tmp folder and injects mistakes into the copy, so
the tests follow the shipped catalogue as it grows. `inject` returns the line the mistake is on, and
findings are expected on that line (the field's own line; the entry's first line for a missing field).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.catalogue_check import Finding, check
from tests.conftest import ROOT, run_cli

LOCAL = "local/example_local_question.yaml"
LOCAL_ID = "local_felt_listened_at_review"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A private copy of the shipped catalogue, called indicators/ as the real one is."""
    dest = tmp_path / "indicators"
    shutil.copytree(ROOT / "indicators", dest)
    return dest


def entry_line(folder: Path, file: str, indicator_id: str) -> int:
    """The line where `- id: <indicator_id>` starts its entry."""
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    return lines.index(f"  - id: {indicator_id}") + 1


def inject(folder: Path, file: str, old: str, new: str, after: str | None = None) -> int:
    """Replace the first `old` (after the entry `- id: <after>`, if given) with `new`; return the
    1-based line where `new` starts."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {after}\n") if after else 0
    at = text.index(old, start)  # ValueError if the catalogue changed under the test: fix the test
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


def only_finding(folder: Path) -> Finding:
    findings = check(folder)
    assert len(findings) == 1, "\n".join(map(str, findings))
    return findings[0]


def cli_output(folder: Path, capsys) -> tuple[int, list[str]]:
    code = run_cli("catalogue", "check", folder)
    return code, capsys.readouterr().out.splitlines()


# -- the shipped catalogue ------------------------------------------------------------------------

def test_shipped_catalogue_has_no_findings():
    assert check(ROOT / "indicators") == []


def test_cli_exits_0_with_a_summary_on_the_shipped_catalogue(catalogue, capsys):
    code, out = cli_output(catalogue, capsys)
    assert code == 0
    assert len(out) == 1
    assert "is valid:" in out[0] and " indicators in 6 domains (" in out[0] and "survey" in out[0]


# -- one mistake at a time ------------------------------------------------------------------------
# (file, entry, text found, text put instead, field, words the message must contain)

ONE_LINE_MISTAKES = [
    pytest.param("bright_spots.yaml", "feel_safe_home", "domain: home", "domain: homes",
                 "domain", ["unknown domain 'homes'", "good_life"], id="unknown_domain"),
    pytest.param(LOCAL, LOCAL_ID, "answer_type: yes_no", "answer_type: yes_or_no",
                 "answer_type", ["unknown answer type 'yes_or_no'", "frequency"], id="unknown_answer_type"),
    pytest.param(LOCAL, LOCAL_ID, 'positive: ["Yes"]', 'positive: ["Yes", "Maybe"]',
                 "positive", ["'Maybe' is not an answer of yes_no", "Yes, No"], id="positive_answer_not_an_answer"),
    pytest.param("bright_spots.yaml", "life_satisfaction", "positive: {min: 5, max: 10}",
                 "positive: {min: 5, max: 11}", "positive", ["5-11", "outside scale_0_10's 0-10"],
                 id="positive_range_outside_answer_range"),
    pytest.param("bright_spots.yaml", "life_satisfaction", "positive: {min: 5, max: 10}",
                 "positive: {min: 8, max: 5}", "positive", ["min 8 is above max 5"], id="positive_range_reversed"),
    pytest.param("bright_spots.yaml", "life_satisfaction", "positive: {min: 5, max: 10}",
                 'positive: ["Yes"]', "positive", ["range such as {min: 0, max: 10}"],
                 id="positive_list_for_a_numeric_question"),
    pytest.param(LOCAL, LOCAL_ID, "sql: survey_indicator", "sql: survey_indicators",
                 "sql", ["no SQL file queries/survey_indicators.sql"], id="missing_sql_file"),
    pytest.param("bright_spots.yaml", "life_satisfaction", 'YLBC: ["16-25"]', 'YLBC: ["11-17"]',
                 "surveys.YLBC", ["age band '11-17' is not covered by YLBC", "16-25"], id="age_band_not_in_survey"),
    pytest.param(LOCAL, LOCAL_ID, "YLYC:", "YLCY:", "surveys.YLCY",
                 ["'YLCY' is not an accepted value", "'YLYC' or 'YLBC'"], id="unknown_survey"),
    pytest.param(LOCAL, LOCAL_ID, "polarity: higher_is_better", "polarity: higher_better", "polarity",
                 ["'higher_better' is not an accepted value", "'higher_is_better'", "'no_polarity'"],
                 id="invalid_polarity"),
    pytest.param(LOCAL, LOCAL_ID, "unit: percent", "unit: percentage", "unit",
                 ["'percentage' is not an accepted value", "'rate_per_10000'"], id="invalid_unit"),
    pytest.param(LOCAL, LOCAL_ID, "frequency: biennial", "frequency: every_two_years", "frequency",
                 ["'every_two_years' is not an accepted value", "'biennial'"], id="invalid_frequency"),
    pytest.param(LOCAL, LOCAL_ID, "frequency: biennial", "decimals: 7\n    frequency: biennial", "decimals",
                 ["less than or equal to 3", "found 7"], id="too_many_decimals"),
    pytest.param(LOCAL, LOCAL_ID, f"id: {LOCAL_ID}", "id: Local-Felt-Listened", "id",
                 ["'Local-Felt-Listened' is not a valid name", "lower-case"], id="id_not_a_valid_name"),
    pytest.param(LOCAL, LOCAL_ID, "source: survey", "source: surevy", "source",
                 ["unknown source 'surevy'", "survey, dfe, voice_checks, participation, feedback, local_measure"],
                 id="unknown_source"),
    pytest.param("bright_spots.yaml", "life_satisfaction", "value: 74", "value: 174", "comparators.0.value",
                 ["percentage comparator must be from 0 to 100", "found 174"], id="comparator_percentage_over_100"),
    pytest.param("bright_spots.yaml", "anxious_yesterday", 'survey: "YLBC"', 'survey: "YLYC"',
                 "comparators.0.survey", ["comparator is for YLYC, which does not ask this question"],
                 id="comparator_for_a_survey_not_asking"),
    pytest.param("bright_spots.yaml", "life_satisfaction", 'kind: "bright_spots_national"', 'kind: "national"',
                 "comparators.0.kind", ["'national' is not an accepted value", "'general_population'"],
                 id="comparator_invalid_kind"),
    pytest.param("participation_and_feedback.yaml", "return_2b_pn_groups", "breakdowns: [review_type]",
                 "breakdowns: [review_kind]", "params.breakdowns",
                 ["'review_kind' is not a breakdown of participation records", "expected: review_type"],
                 id="record_breakdown_that_does_not_exist"),
    pytest.param("participation_and_feedback.yaml", "return_2a_voice_heard_assessment",
                 "params: {check: voice_heard_assessment}", "params: {chek: voice_heard_assessment}", "params",
                 ["queries/voice_check_rate.sql needs parameter(s) $check", "does not give"],
                 id="record_sql_parameter_not_given"),
]


@pytest.mark.parametrize("file, entry, old, new, field, words", ONE_LINE_MISTAKES)
def test_one_mistake_is_reported_with_file_line_field_and_message(catalogue, file, entry, old, new, field, words):
    line = inject(catalogue, file, old, new, after=entry)
    finding = only_finding(catalogue)
    assert finding.file == f"indicators/{file}"
    assert finding.field == field
    assert finding.line == line
    for w in words:
        assert w in finding.message


def test_dfe_metric_with_a_base_but_no_count_is_reported_at_the_entry(catalogue):
    inject(catalogue, "dfe_metrics.yaml", "    count_indicator: number\n", "", after="dfe_cla_mid_year_school_moves")
    finding = only_finding(catalogue)
    assert (finding.file, finding.field) == ("indicators/dfe_metrics.yaml", "count_indicator")
    assert finding.line == entry_line(catalogue, "dfe_metrics.yaml", "dfe_cla_mid_year_school_moves")
    assert "base_filters or base_indicator need count_indicator" in finding.message


def test_misspelt_field_is_named_with_the_field_it_was_meant_to_be(catalogue):
    line = inject(catalogue, LOCAL, "polarity: higher_is_better", "polarty: higher_is_better", after=LOCAL_ID)
    findings = {f.field: f for f in check(catalogue)}
    assert set(findings) == {"polarty", "polarity"}
    typo = findings["polarty"]
    assert (typo.file, typo.line) == (f"indicators/{LOCAL}", line)
    assert "unknown field 'polarty' (did you mean 'polarity'?)" in typo.message


def test_misspelt_field_inside_a_comparator_suggests_the_comparator_field(catalogue):
    line = inject(catalogue, "bright_spots.yaml", "population:", "popluation:", after="life_satisfaction")
    findings = {f.field: f for f in check(catalogue)}
    assert findings["comparators.0.popluation"].line == line
    assert "did you mean 'population'?" in findings["comparators.0.popluation"].message
    assert "required field 'population' is missing" in findings["comparators.0.population"].message


@pytest.mark.parametrize("field", ["child_friendly", "polarity", "sql", "domain"])
def test_missing_required_field_is_reported_at_the_entry_line(catalogue, field):
    text = (catalogue / LOCAL).read_text(encoding="utf-8")
    line = next(x for x in text.splitlines(keepends=True) if x.startswith(f"    {field}:"))
    inject(catalogue, LOCAL, line, "", after=LOCAL_ID)
    finding = only_finding(catalogue)
    start = entry_line(catalogue, LOCAL, LOCAL_ID)
    assert (finding.file, finding.line, finding.field) == (f"indicators/{LOCAL}", start, field)
    assert finding.message == f"required field '{field}' is missing"


def test_missing_source_is_reported_with_the_sources_to_choose_from(catalogue):
    inject(catalogue, LOCAL, "    source: survey\n", "", after=LOCAL_ID)
    finding = only_finding(catalogue)
    assert (finding.line, finding.field) == (entry_line(catalogue, LOCAL, LOCAL_ID), "source")
    assert "required field 'source' is missing" in finding.message and "voice_checks" in finding.message


def test_local_indicator_reusing_a_framework_id_is_the_duplicate(catalogue):
    line = inject(catalogue, LOCAL, f"id: {LOCAL_ID}", "id: life_satisfaction")
    findings = [f for f in check(catalogue) if f.field == "id"]
    assert len(findings) == 1
    f = findings[0]
    first = entry_line(catalogue, "bright_spots.yaml", "life_satisfaction")
    assert (f.file, f.line) == (f"indicators/{LOCAL}", line)
    assert f"duplicate indicator id 'life_satisfaction': already used at indicators/bright_spots.yaml, line {first}" \
        in f.message


def test_local_indicator_reusing_an_id_of_a_file_sorted_after_it_is_still_the_duplicate(catalogue):
    # local/ sorts before participation_and_feedback.yaml: the local entry must still be the one named
    line = inject(catalogue, LOCAL, f"id: {LOCAL_ID}", "id: feedback_all_fives")
    f = next(f for f in check(catalogue) if f.field == "id")
    assert (f.file, f.line) == (f"indicators/{LOCAL}", line)
    assert "indicators/participation_and_feedback.yaml" in f.message


def test_duplicate_question_id_names_the_indicator_that_asks_it(catalogue):
    line = inject(catalogue, LOCAL, "    source: survey\n", "    source: survey\n    question_id: happy_yesterday\n",
                  after=LOCAL_ID) + 1
    finding = only_finding(catalogue)
    assert (finding.file, finding.line, finding.field) == (f"indicators/{LOCAL}", line, "question_id")
    assert "question 'happy_yesterday' is already asked by indicator 'happy_yesterday'" in finding.message


def test_duplicate_domain_id_is_reported(catalogue):
    first = entry_line(catalogue, "domains.yaml", "home")
    line = inject(catalogue, "domains.yaml", "  - id: trusting_relationships\n",
                  "  - id: home\n    title: Home again\n    description: A second Home.\n    child_friendly: Home?\n"
                  "  - id: trusting_relationships\n")
    finding = only_finding(catalogue)
    assert (finding.file, finding.line, finding.field) == ("indicators/domains.yaml", line, "id")
    assert f"duplicate domain id 'home': already used at indicators/domains.yaml, line {first}" in finding.message


def test_broken_answer_type_is_reported_at_its_field_and_not_again_as_unknown(catalogue):
    line = inject(catalogue, "answer_types.yaml", '{"y": "Yes", "n": "No"}', '{"y": "Yes", "n": "Nope"}')
    finding = only_finding(catalogue)
    assert (finding.file, finding.line, finding.field) == ("indicators/answer_types.yaml", line,
                                                           "answer_types.yes_no.aliases")
    assert "alias 'n' points at 'Nope', which is not one of the answers" in finding.message


def test_entry_that_is_not_a_set_of_fields_is_reported(catalogue):
    line = inject(catalogue, LOCAL, "indicators:\n", "indicators:\n  - life_satisfaction\n") + 1
    finding = only_finding(catalogue)
    assert (finding.file, finding.line) == (f"indicators/{LOCAL}", line)
    assert "found 'life_satisfaction'" in finding.message


def test_empty_entry_is_reported(catalogue):
    line = inject(catalogue, LOCAL, "indicators:\n", "indicators:\n  -\n") + 1
    finding = only_finding(catalogue)
    assert (finding.file, finding.line) == (f"indicators/{LOCAL}", line)
    assert "found an empty entry" in finding.message


def test_file_that_is_not_utf8_is_reported_without_a_crash(catalogue):
    (catalogue / "local" / "latin1.yaml").write_bytes("indicators: []  # caf\xe9\n".encode("latin-1"))
    findings = check(catalogue)
    assert findings[0].file == "indicators/local/latin1.yaml"
    assert "not readable as UTF-8 text" in findings[0].message


def test_unknown_section_is_reported_at_its_line(catalogue):
    line = inject(catalogue, LOCAL, "indicators:\n", "indicator:\n")
    findings = check(catalogue)
    f = next(f for f in findings if f.field == "indicator")
    assert (f.file, f.line) == (f"indicators/{LOCAL}", line)
    assert "unknown section `indicator`" in f.message


# -- invalid YAML -----------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, words", [
    pytest.param("    kind: voice", "\tkind: voice", ["'\\t'", "YAML indents with spaces"], id="tab"),
    pytest.param("    unit: percent", "    unit: percent: x", ["mapping values are not allowed here"],
                 id="colon_in_value"),
    pytest.param("    kind: voice", "   kind: voice", ["expected <block end>"], id="bad_indent"),
])
def test_invalid_yaml_is_reported_with_its_line(catalogue, old, new, words):
    line = inject(catalogue, LOCAL, old, new, after=LOCAL_ID)
    finding = only_finding(catalogue)
    assert (finding.file, finding.line, finding.field) == (f"indicators/{LOCAL}", line, None)
    assert finding.message.startswith("not valid YAML: ")
    for w in words:
        assert w in finding.message


def test_unclosed_bracket_names_the_line_the_bracket_opens(catalogue):
    line = inject(catalogue, LOCAL, 'positive: ["Yes"]', 'positive: ["Yes"', after=LOCAL_ID)
    finding = only_finding(catalogue)
    assert finding.line == line + 1  # YAML notices on the next line ...
    assert f"flow sequence that starts at line {line}" in finding.message  # ... and says where it began


# -- several mistakes at once ----------------------------------------------------------------------

def test_every_mistake_is_reported_when_there_are_several(catalogue):
    bad_yaml = inject(catalogue, LOCAL, "    kind: voice", "\tkind: voice", after=LOCAL_ID)
    domain = inject(catalogue, "bright_spots.yaml", "domain: home", "domain: homes", after="feel_safe_home")
    band = inject(catalogue, "bright_spots.yaml", 'YLBC: ["16-25"]', 'YLBC: ["11-17"]', after="life_satisfaction")
    unit = inject(catalogue, "bright_spots.yaml", "unit: percent", "unit: percentage", after="happy_yesterday")
    params = inject(catalogue, "participation_and_feedback.yaml", "params: {check: voice_heard_closure}",
                    "params: {}", after="return_2a_voice_heard_closure")
    dfe = inject(catalogue, "dfe_metrics.yaml", "polarity: lower_is_better", "polarity: lower",
                 after="dfe_repeat_referrals")
    found = {(f.file.removeprefix("indicators/"), f.line, f.field) for f in check(catalogue)}
    assert found == {
        (LOCAL, bad_yaml, None),
        ("bright_spots.yaml", band, "surveys.YLBC"),
        ("bright_spots.yaml", unit, "unit"),
        ("bright_spots.yaml", domain, "domain"),
        ("participation_and_feedback.yaml", params, "params"),
        ("dfe_metrics.yaml", dfe, "polarity"),
    }


def test_two_mistakes_in_one_indicator_are_both_reported(catalogue):
    domain = inject(catalogue, LOCAL, "domain: rights_in_and_leaving_care", "domain: rights", after=LOCAL_ID)
    sql = inject(catalogue, LOCAL, "sql: survey_indicator", "sql: survey_indicatr", after=LOCAL_ID)
    assert [(f.line, f.field) for f in check(catalogue)] == [(domain, "domain"), (sql, "sql")]


def test_findings_are_in_file_and_line_order(catalogue):
    inject(catalogue, "bright_spots.yaml", "unit: percent", "unit: percentage", after="happy_yesterday")
    inject(catalogue, "bright_spots.yaml", "domain: good_life", "domain: good", after="life_satisfaction")
    inject(catalogue, "answer_types.yaml", '"n": "No"', '"n": "Nope"')
    findings = check(catalogue)
    assert [(f.file, f.line) for f in findings] == sorted((f.file, f.line) for f in findings)
    assert len(findings) == 3


# -- the CLI ---------------------------------------------------------------------------------------

def test_cli_exits_1_with_one_line_per_problem(catalogue, capsys):
    domain = inject(catalogue, "bright_spots.yaml", "domain: home", "domain: homes", after="feel_safe_home")
    value = inject(catalogue, "bright_spots.yaml", "value: 74", "value: 174", after="life_satisfaction")
    code, out = cli_output(catalogue, capsys)
    assert code == 1
    assert out[0] == f"2 problems in the catalogue at {catalogue}:"
    assert out[1:] == [
        f"- indicators/bright_spots.yaml, line {value}, field 'comparators.0.value': "
        "a percentage comparator must be from 0 to 100, found 174",
        f"- indicators/bright_spots.yaml, line {domain}, field 'domain': unknown domain 'homes': expected one of "
        "good_life, home, trusting_relationships, rights_in_and_leaving_care, opportunities, feelings",
    ]


def test_cli_reports_invalid_yaml_with_file_and_line_and_no_traceback(catalogue, capsys):
    line = inject(catalogue, LOCAL, "    unit: percent", "    unit: percent: x", after=LOCAL_ID)
    code, out = cli_output(catalogue, capsys)
    assert code == 1
    assert out[1].startswith(f"- indicators/{LOCAL}, line {line}: not valid YAML: mapping values are not allowed")
    assert len(out) == 2


def test_cli_reports_a_duplicate_id_in_a_local_file(catalogue, capsys):
    line = inject(catalogue, LOCAL, f"id: {LOCAL_ID}", "id: life_satisfaction")
    code, out = cli_output(catalogue, capsys)
    assert code == 1
    assert out[1].startswith(f"- indicators/{LOCAL}, line {line}, field 'id': "
                             "duplicate indicator id 'life_satisfaction'")


def test_cli_reports_a_folder_that_does_not_exist(tmp_path, capsys):
    code, out = cli_output(tmp_path / "nowhere", capsys)
    assert code == 1
    assert out[1] == f"- {tmp_path / 'nowhere'}: no such folder"
