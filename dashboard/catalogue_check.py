"""`voice-dashboard catalogue check [PATH]`: every mistake in the indicator catalogue, each with
its file, line and field, in plain English.

One broken entry never hides another: each domain, answer type and indicator is checked on its own,
and a file that is not valid YAML is reported with its line while the other files are still checked.
A finding's line is the line of the field at fault when the field is in the file, else the line where
the entry starts.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from dashboard import paths
from dashboard.catalogue import (SURVEY_BANDS, AnswerType, Comparator, DfeMetric, Domain, Indicator, Range,
                                 RecordIndicator, SurveyIndicator, read_raw, yaml_files)

# The parameters the engine passes to each kind of SQL file (record indicators: their `params`).
ENGINE_PARAMS = {
    "survey": {"question_id", "positive_answers", "positive_min", "positive_max"},
    "dfe": {"dataset", "indicator", "filter_keys", "filter_values", "count_indicator", "base_indicator",
            "base_keys", "base_values"},
}
RECORD_BREAKDOWNS = {"voice_checks": set(), "participation": {"review_type"},
                     "feedback": {"service", "respondent", "stage"}, "local_measure": set()}
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
SOURCES = {"survey": SurveyIndicator, "dfe": DfeMetric, "voice_checks": RecordIndicator,
           "participation": RecordIndicator, "feedback": RecordIndicator, "local_measure": RecordIndicator}
# Where a nested field's own fields are listed (for "did you mean" on a typo inside it).
NESTED = {"comparators": Comparator, "positive": Range, "range": Range}
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SYNTAX = re.compile(r"^(?P<file>.+?)(?:, line (?P<line>\d+))?: (?P<message>.*)$", re.S)


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        return f"{where}" + (f", field '{self.field}'" if self.field else "") + f": {self.message}"


def _suggest(name: str, model: type[BaseModel] | None, loc: list[str]) -> str:
    """' (did you mean 'polarity'?)' for a misspelt field, else ''."""
    for part in loc[:-1]:
        if part in NESTED:
            model = NESTED[part]
    if model is None:
        return ""
    close = difflib.get_close_matches(name, list(model.model_fields), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _found(value) -> str:
    return f", found {value!r}" if isinstance(value, (str, int, float, bool)) or value is None else ""


def _pydantic_findings(exc: ValidationError, file: str, line: int | None, prefix: str = "",
                       model: type[BaseModel] | None = None) -> list[Finding]:
    out = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"] if x != "[key]"]   # a bad mapping key: name the key itself
        if loc and loc[0] in SOURCES:       # the discriminated union puts the source first
            model = SOURCES[loc[0]]
            loc = loc[1:]
        field = ".".join(loc) or None
        msg = err["msg"]
        kind = err["type"]
        if kind == "extra_forbidden":
            msg = (f"unknown field '{loc[-1]}'{_suggest(loc[-1], model, loc)}; the fields are listed in the "
                   "catalogue section of the README")
        elif kind == "missing":
            msg = f"required field '{loc[-1]}' is missing"
        elif kind == "union_tag_invalid":
            msg = (f"unknown source '{err['ctx']['tag']}': expected one of "
                   f"{', '.join(SOURCES)}")
            field = "source"
        elif kind == "union_tag_not_found":
            msg = f"required field 'source' is missing (one of {', '.join(SOURCES)})"
            field = "source"
        elif kind == "literal_error":
            msg = f"{err['input']!r} is not an accepted value: expected {err['ctx']['expected']}"
        elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "sql", "question_id"):
            msg = (f"{err['input']!r} is not a valid name: use lower-case letters, digits and _, "
                   "starting with a letter")
        elif kind == "value_error":
            msg = msg.removeprefix("Value error, ")
        else:
            msg = msg.replace("Input should", "should") + _found(err.get("input"))
        out.append(Finding(file, line, prefix + field if field else prefix.rstrip(".") or None, msg))
    return out


# -- where a field is in the YAML ----------------------------------------------------------------

def _rel(root: Path, f: Path) -> str:
    """The file name as read_raw gives it (the catalogue folder's name and the path below it)."""
    return str(f.relative_to(root.parent) if root.parent in f.parents else f)


def _documents(root: Path) -> tuple[dict[str, yaml.Node], list[Finding]]:
    """File name -> its composed YAML (with line marks), and a finding for each file that is not
    valid YAML (such a file is left out; the others are still checked)."""
    out, bad = {}, []
    for f in yaml_files(root):
        rel = _rel(root, f)
        try:
            text = f.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            bad.append(Finding(rel, None, None, f"not readable as UTF-8 text ({exc.reason} at byte {exc.start})"))
            continue
        try:
            node = yaml.compose(text, Loader=FAST_LOADER)
        except yaml.YAMLError:
            try:  # the pure-Python parser words its errors better
                node = yaml.compose(text, Loader=yaml.SafeLoader)
            except yaml.YAMLError as exc:
                bad.append(_yaml_error(rel, exc))
                continue
        if isinstance(node, yaml.MappingNode):
            out[rel] = node
    return out, bad


def _yaml_error(file: str, exc: yaml.YAMLError) -> Finding:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    problem = getattr(exc, "problem", None) or str(exc)
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark and context_mark.line + 1 != line:
        problem += f", {context} that starts at line {context_mark.line + 1}"
    hint = " (a tab? YAML indents with spaces)" if "'\\t'" in problem else ""
    return Finding(file, line, None, f"not valid YAML: {problem}{hint}; check the indentation, quotes and "
                   "brackets on this line and the one before")


def _child(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """(the node whose line names `key`, the value node) of a mapping key or a sequence index."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    elif isinstance(node, yaml.SequenceNode) and key.isdigit() and int(key) < len(node.value):
        item = node.value[int(key)]
        return item, item
    return None


def _line_in(node: yaml.Node, field: str | None) -> int | None:
    """1-based line of the deepest part of the dotted `field` found under `node`."""
    line = None
    for part in (field or "").split("."):
        found = _child(node, part) if part else None
        if found is None:
            break
        line = found[0].start_mark.line + 1
        node = found[1]
    return line


def _entries(docs: dict[str, yaml.Node]) -> dict[tuple[str, int], yaml.Node]:
    """(file, line where the entry starts) -> the entry, for every domain and indicator."""
    out = {}
    for file, doc in docs.items():
        for section in ("domains", "indicators"):
            found = _child(doc, section)
            if found and isinstance(found[1], yaml.SequenceNode):
                for item in found[1].value:
                    out[(file, item.start_mark.line + 1)] = item
    return out


def _at_field_lines(findings: list[Finding], docs: dict[str, yaml.Node]) -> list[Finding]:
    """Move each finding from the line its entry starts to its field's own line, where there is one."""
    entries = _entries(docs)
    out = []
    for f in findings:
        line = None
        if f.field and (f.file, f.line) in entries:
            line = _line_in(entries[(f.file, f.line)], f.field)
        elif f.field and f.line is None and f.file in docs:
            line = _line_in(docs[f.file], f.field)
        out.append(replace(f, line=line) if line else f)
    return out


def _not_mappings(docs: dict[str, yaml.Node]) -> list[Finding]:
    """Entries of `domains:` or `indicators:` that are not a set of fields (the check skips them)."""
    out = []
    for file, doc in docs.items():
        for section in ("domains", "indicators"):
            found = _child(doc, section)
            if found and isinstance(found[1], yaml.SequenceNode):
                for item in found[1].value:
                    if not isinstance(item, yaml.MappingNode):
                        if not isinstance(item, yaml.ScalarNode):
                            shown = "a list"
                        else:
                            shown = f"'{item.value}'" if item.value else "an empty entry"
                        out.append(Finding(file, item.start_mark.line + 1, None,
                                           f"each entry of `{section}:` is a set of fields such as `id: ...`; "
                                           f"found {shown} (missing 'id: '?)"))
    return out


def _syntax_finding(problem: str) -> Finding:
    m = SYNTAX.match(problem)
    if not m:
        return Finding("?", None, None, problem)
    field = None
    section = re.search(r"unknown section `([^`]+)`", m["message"])
    if section:
        field = section[1]
    return Finding(m["file"], int(m["line"]) if m["line"] else None, field, m["message"])


# -- the check --------------------------------------------------------------------------------------

def check(folder: Path | None = None) -> list[Finding]:
    folder = Path(folder or paths.INDICATORS)
    if not folder.is_dir():
        return [Finding(str(folder), None, None, "no such folder")]
    docs, bad_yaml = _documents(folder)
    try:
        raw, syntax = read_raw(folder)
    except UnicodeDecodeError:  # reported by _documents; read_raw cannot go on past such a file
        return sorted(bad_yaml, key=lambda x: (x.file, x.line or 0)) + [
            Finding(str(folder), None, None, "the other files are checked once every file is UTF-8 text")]
    findings = bad_yaml + [_syntax_finding(p) for p in syntax if "not valid YAML" not in p] + _not_mappings(docs)
    queries = paths.QUERIES

    # Answer types and domains.
    answer_types: dict[str, AnswerType] = {}
    for name, spec in raw["answer_types"].items():
        origin = raw.get("__answer_types_origin", {}).get(name, "?")
        try:
            answer_types[name] = AnswerType.model_validate(spec)
        except ValidationError as exc:
            for finding in _pydantic_findings(exc, origin, None, f"answer_types.{name}.", AnswerType):
                if finding.field == f"answer_types.{name}" and "alias" in finding.message:
                    finding = replace(finding, field=f"answer_types.{name}.aliases")
                findings.append(finding)
    domains, domain_origin = {}, {}
    domain_names = set()                     # every domain id written, valid or not
    for item in [i for i in raw["domains"] if isinstance(i, dict)]:   # others: _not_mappings
        file, line = item.get("__origin", ("?", None))
        body = {k: v for k, v in item.items() if k != "__origin"}
        if isinstance(body.get("id"), str):
            domain_names.add(body["id"])
        try:
            d = Domain.model_validate(body)
            if d.id in domains:
                findings.append(Finding(file, line, "id", f"duplicate domain id '{d.id}': already used at "
                                        f"{domain_origin[d.id][0]}, line {domain_origin[d.id][1]}"))
            else:
                domains[d.id] = d
                domain_origin[d.id] = (file, line)
        except ValidationError as exc:
            findings += _pydantic_findings(exc, file, line, model=Domain)
    if not domain_names:
        findings.append(Finding(str(folder), None, "domains", "no domains defined"))

    adapter = TypeAdapter(Indicator)
    seen_ids: dict[str, tuple[str, int]] = {}
    questions: dict[str, str] = {}
    # The framework's indicators first, so an LA's local indicator is the one called the duplicate.
    entries = [i for i in raw["indicators"] if isinstance(i, dict)]  # others: _not_mappings
    for item in sorted(entries, key=lambda i: bool(i.get("local"))):
        file, line = item.get("__origin", ("?", None))
        body = {k: v for k, v in item.items() if k != "__origin"}
        f = lambda field, msg: findings.append(Finding(file, line, field, msg))  # noqa: E731
        ident = body.get("id")
        duplicate = isinstance(ident, str) and ident in seen_ids
        if isinstance(ident, str):
            if duplicate:
                first = seen_ids[ident]
                f("id", f"duplicate indicator id '{ident}': already used at {first[0]}, line {first[1]}; "
                  "give this indicator an id no other indicator uses")
            else:
                seen_ids[ident] = (file, line)
        try:
            ind = adapter.validate_python(body)
        except ValidationError as exc:
            findings += _pydantic_findings(exc, file, line)
            continue
        if ind.domain not in domain_names:
            f("domain", f"unknown domain '{ind.domain}': expected one of {', '.join(domains)}")
        sql_file = queries / f"{ind.sql}.sql"
        if not sql_file.is_file():
            f("sql", f"no SQL file queries/{ind.sql}.sql: name a file in queries/ without .sql")
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
                  "indicator does not give" + (f" (add them to params, e.g. params: {{{missing[0]}: ...}})"
                                               if isinstance(ind, RecordIndicator) else ""))
        for i, comp in enumerate(ind.comparators):
            if ind.unit == "percent" and not 0 <= comp.value <= 100:
                f(f"comparators.{i}.value", f"a percentage comparator must be from 0 to 100, found {comp.value:g}")
        if isinstance(ind, SurveyIndicator):
            # an indicator asks the question named by its id unless it gives question_id: a duplicate id
            # is then already reported, not again as a duplicate question
            _check_survey(ind, answer_types, set(raw["answer_types"]),
                          questions if ind.question_id or not duplicate else {}, f)
            questions.setdefault(ind.question, ind.id)
        elif isinstance(ind, RecordIndicator):
            allowed = RECORD_BREAKDOWNS[ind.source]
            breakdowns = ind.params.get("breakdowns", []) or []
            for b in breakdowns if isinstance(breakdowns, list) else [breakdowns]:
                if b not in allowed:
                    f("params.breakdowns", f"'{b}' is not a breakdown of {ind.source} records "
                      f"(expected: {', '.join(sorted(allowed)) or 'none'})")
        elif isinstance(ind, DfeMetric):
            if (ind.base_filters or ind.base_indicator) and not ind.count_indicator:
                f("count_indicator", "base_filters or base_indicator need count_indicator (the count the base is for)")
    findings = _at_field_lines(findings, docs)
    return sorted(findings, key=lambda x: (x.file, x.line or 0))


def _check_survey(ind: SurveyIndicator, answer_types: dict[str, AnswerType], written: set[str],
                  questions: dict, f) -> None:
    if ind.question in questions:
        f("question_id" if ind.question_id else "id",
          f"question '{ind.question}' is already asked by indicator '{questions[ind.question]}': "
          "each survey question belongs to one indicator")
    atype = answer_types.get(ind.answer_type)
    if atype is None:
        if ind.answer_type not in written:  # a written but broken answer type is reported where it is
            f("answer_type", f"unknown answer type '{ind.answer_type}': expected one of {', '.join(answer_types)}")
    elif isinstance(ind.positive, list):
        if atype.numeric:
            f("positive", f"a {ind.answer_type} question's positive answers are a range such as "
              f"{{min: {atype.range.min}, max: {atype.range.max}}}")
        elif not ind.positive:
            f("positive", "at least one positive answer is needed")
        else:
            for a in ind.positive:
                if a not in atype.answers:
                    f("positive", f"'{a}' is not an answer of {ind.answer_type} "
                      f"(its answers: {', '.join(atype.answers)})")
    else:
        if not atype.numeric:
            f("positive", f"a {ind.answer_type} question's positive answers are a list of its answers "
              f"({', '.join(atype.answers)})")
        elif ind.positive.min > ind.positive.max:
            f("positive", f"range min {ind.positive.min} is above max {ind.positive.max}")
        elif ind.positive.min < atype.range.min or ind.positive.max > atype.range.max:
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
