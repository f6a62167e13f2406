"""`voice-dashboard catalogue check [PATH]`: every mistake in the indicator catalogue, each with
its file, line and field, in plain English."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from dashboard import paths
from dashboard.catalogue import (SURVEY_BANDS, AnswerType, Comparator, DfeMetric, Domain, Indicator,
                                 RecordIndicator, SurveyIndicator, read_raw)

# The parameters the engine passes to each kind of SQL file (record indicators: their `params`).
ENGINE_PARAMS = {
    "survey": {"question_id", "positive_answers", "positive_min", "positive_max"},
    "dfe": {"dataset", "indicator", "filter_keys", "filter_values", "count_indicator", "base_indicator",
            "base_keys", "base_values"},
}
RECORD_BREAKDOWNS = {"voice_checks": set(), "participation": {"review_type"},
                     "feedback": {"service", "respondent", "stage"}, "local_measure": set()}
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        return f"{where}" + (f", field '{self.field}'" if self.field else "") + f": {self.message}"


def _pydantic_findings(exc: ValidationError, file: str, line: int, prefix: str = "") -> list[Finding]:
    out = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"] if not str(x) in ("survey", "dfe", "voice_checks", "participation",
                                                              "feedback", "local_measure")]
        field = ".".join(loc) or None
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field (a typo?); see the catalogue section of the README for the fields"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "union_tag_invalid":
            msg = f"unknown source: expected one of survey, dfe, voice_checks, participation, feedback, local_measure"
            field = "source"
        elif err["type"] == "union_tag_not_found":
            msg = "required field is missing: source (survey, dfe, voice_checks, participation, feedback, local_measure)"
            field = "source"
        elif err["type"] == "literal_error":
            msg = f"not an accepted value: {msg.removeprefix('Input should be ').strip()}"
        out.append(Finding(file, line, prefix + field if field else prefix.rstrip(".") or None, msg))
    return out


def check(folder: Path | None = None) -> list[Finding]:
    folder = Path(folder or paths.INDICATORS)
    if not folder.is_dir():
        return [Finding(str(folder), None, None, "no such folder")]
    raw, syntax = read_raw(folder)
    findings = [Finding(p.split(",")[0].split(":")[0], None, None, p.split(": ", 1)[-1]) for p in syntax]
    queries = paths.QUERIES

    # Answer types and domains.
    answer_types: dict[str, AnswerType] = {}
    for name, spec in raw["answer_types"].items():
        origin = raw.get("__answer_types_origin", {}).get(name, "?")
        try:
            answer_types[name] = AnswerType.model_validate(spec)
        except ValidationError as exc:
            findings += _pydantic_findings(exc, origin, None, f"answer_types.{name}.")
    domains = {}
    for item in raw["domains"]:
        file, line = item.get("__origin", ("?", None))
        body = {k: v for k, v in item.items() if k != "__origin"}
        try:
            d = Domain.model_validate(body)
            if d.id in domains:
                findings.append(Finding(file, line, "id", f"duplicate domain id '{d.id}'"))
            domains[d.id] = d
        except ValidationError as exc:
            findings += _pydantic_findings(exc, file, line)
    if not domains:
        findings.append(Finding(str(folder), None, "domains", "no domains defined"))

    adapter = TypeAdapter(Indicator)
    seen_ids: dict[str, tuple[str, int]] = {}
    questions: dict[str, str] = {}
    for item in raw["indicators"]:
        file, line = item.get("__origin", ("?", None))
        body = {k: v for k, v in item.items() if k != "__origin"}
        try:
            ind = adapter.validate_python(body)
        except ValidationError as exc:
            findings += _pydantic_findings(exc, file, line)
            continue
        f = lambda field, msg: findings.append(Finding(file, line, field, msg))  # noqa: E731
        if ind.id in seen_ids:
            f("id", f"duplicate indicator id '{ind.id}' (first at {seen_ids[ind.id][0]}, line {seen_ids[ind.id][1]})")
        else:
            seen_ids[ind.id] = (file, line)
        if ind.domain not in domains:
            f("domain", f"unknown domain '{ind.domain}': expected one of {', '.join(domains)}")
        sql_file = queries / f"{ind.sql}.sql"
        if not sql_file.is_file():
            f("sql", f"no SQL file queries/{ind.sql}.sql")
        else:
            used = set(PARAM.findall(sql_file.read_text(encoding="utf-8")))
            if isinstance(ind, SurveyIndicator):
                given = ENGINE_PARAMS["survey"]
            elif isinstance(ind, DfeMetric):
                given = ENGINE_PARAMS["dfe"]
            else:
                given = set(ind.params) - {"breakdowns"}
                from dashboard.engine.atoms import CTES
                if ind.sql in CTES:
                    used |= set(PARAM.findall((queries / f"{CTES[ind.sql][1]}.sql").read_text(encoding="utf-8")))
            missing = sorted(used - given)
            if missing:
                f("params" if isinstance(ind, RecordIndicator) else "sql",
                  f"queries/{ind.sql}.sql needs parameter(s) {', '.join('$' + m for m in missing)} that this "
                  "indicator does not give")
        for i, comp in enumerate(ind.comparators):
            if ind.unit == "percent" and not 0 <= comp.value <= 100:
                f(f"comparators.{i}.value", f"a percentage comparator must be from 0 to 100, found {comp.value}")
        if isinstance(ind, SurveyIndicator):
            _check_survey(ind, answer_types, questions, f)
            questions.setdefault(ind.question, ind.id)
        elif isinstance(ind, RecordIndicator):
            allowed = RECORD_BREAKDOWNS[ind.source]
            for b in ind.params.get("breakdowns", []) or []:
                if b not in allowed:
                    f("params.breakdowns", f"'{b}' is not a breakdown of {ind.source} records "
                      f"(expected: {', '.join(sorted(allowed)) or 'none'})")
        elif isinstance(ind, DfeMetric):
            if (ind.base_filters or ind.base_indicator) and not ind.count_indicator:
                f("count_indicator", "base_filters or base_indicator need count_indicator (the count the base is for)")
    return findings


def _check_survey(ind: SurveyIndicator, answer_types: dict[str, AnswerType], questions: dict, f) -> None:
    if ind.question in questions:
        f("question_id", f"question '{ind.question}' is already used by indicator '{questions[ind.question]}'")
    atype = answer_types.get(ind.answer_type)
    if atype is None:
        f("answer_type", f"unknown answer type '{ind.answer_type}': expected one of {', '.join(answer_types)}")
    elif isinstance(ind.positive, list):
        if atype.numeric:
            f("positive", f"a {ind.answer_type} question's positive answers are a range such as {{min: 5, max: 10}}")
        elif not ind.positive:
            f("positive", "at least one positive answer is needed")
        else:
            for a in ind.positive:
                if a not in atype.answers:
                    f("positive", f"'{a}' is not an answer of {ind.answer_type} ({', '.join(atype.answers)})")
    else:
        if not atype.numeric:
            f("positive", f"a {ind.answer_type} question's positive answers are a list of its answers")
        elif ind.positive.min > ind.positive.max or ind.positive.min < atype.range.min or ind.positive.max > atype.range.max:
            f("positive", f"range {ind.positive.min}-{ind.positive.max} is outside {ind.answer_type}'s "
              f"{atype.range.min}-{atype.range.max}")
    if not ind.surveys or not any(ind.surveys.values()):
        f("surveys", "say which survey asks it and of which age bands, e.g. YLYC: [\"11-17\"]")
    for survey, bands in ind.surveys.items():
        for band in bands:
            if band not in SURVEY_BANDS[survey]:
                f(f"surveys.{survey}", f"age band '{band}' is not covered by {survey} "
                  f"(it covers {', '.join(SURVEY_BANDS[survey])})")
    for i, comp in enumerate(ind.comparators):
        if comp.survey and comp.survey not in ind.surveys:
            f(f"comparators.{i}.survey", f"the comparator is for {comp.survey}, which does not ask this question")
