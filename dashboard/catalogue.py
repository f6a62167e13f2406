"""The indicator catalogue in indicators/**/*.yaml: domains, answer types and indicators.

Adding an indicator means editing YAML. Every indicator names its source (survey, dfe,
voice_checks, participation, feedback, local_measure), its Bright Spots domain, plain and
child-friendly wording, polarity, unit, the SQL file in queries/ that computes it, and its
published comparators. This module validates the YAML with pydantic and keeps where each entry
came from (file and line) so `voice-dashboard catalogue check` can point at mistakes.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from dashboard import paths

SURVEY_BANDS = {"YLYC": ("4-7", "8-10", "8-11", "11-17"), "YLBC": ("16-25",)}
SURVEY_COHORT = {"YLYC": "children_in_care", "YLBC": "care_leavers"}
ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Range(Strict):
    min: int
    max: int

    def contains(self, value: int) -> bool:
        return self.min <= value <= self.max


class AnswerType(Strict):
    answers: list[str] = Field(default_factory=list)
    aliases: dict[str, str] = Field(default_factory=dict)
    range: Range | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "AnswerType":
        if bool(self.answers) == bool(self.range):
            raise ValueError("an answer type has either `answers` or `range`, not both or neither")
        for alias, target in self.aliases.items():
            if target not in self.answers:
                raise ValueError(f"alias '{alias}' points at '{target}', which is not one of the answers")
        return self

    @property
    def numeric(self) -> bool:
        return self.range is not None

    def lookup(self) -> dict[str, str]:
        """Lower-cased accepted text -> canonical answer (categorical types only)."""
        table = {a.lower(): a for a in self.answers}
        table.update({k.lower(): v for k, v in self.aliases.items()})
        return table


class Domain(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    description: str
    child_friendly: str
    overarching: bool = False


class Comparator(Strict):
    """A published figure to read an LA's figure against."""

    label: str                                        # short, shown beside the figure
    value: float
    kind: Literal["bright_spots_national", "general_population", "research"]
    population: str                                   # who the figure is about
    survey: Literal["YLYC", "YLBC"] | None = None
    age_band: str = "all"
    source: str                                       # citation
    year: int
    # same: directly comparable; context: a different cut of the answers, shown but never compared
    measures: Literal["same", "context"] = "same"
    note: str | None = None


class IndicatorBase(Strict):
    id: str = Field(pattern=ID_PATTERN)
    domain: str
    title: str
    child_friendly: str
    description: str | None = None
    kind: Literal["voice", "admin"]
    polarity: Literal["higher_is_better", "lower_is_better", "no_polarity"]
    unit: Literal["percent", "rate_per_10000", "number", "months", "score", "currency"]
    decimals: int = Field(default=0, ge=0, le=3)
    frequency: Literal["biennial", "annual", "quarterly", "monthly", "continuous"]
    sql: str = Field(pattern=ID_PATTERN)              # queries/<sql>.sql computes it
    comparators: list[Comparator] = Field(default_factory=list)
    local: bool = False                               # an LA's own indicator (indicators/local/)


# Words that make a clause negative. A positive template has none; a negative one has them and is
# never put after an amount that is itself negative ("less than half"), so no double negative.
NEGATIONS = ("not", "no", "never", "hardly", "nobody", "nothing", "none", "without", "rarely", "seldom", "less",
             "fewer", "n't")
PRONOUN_SLOTS = ("they", "them", "their", "theirs", "themselves")
_BARE_PRONOUNS = {"you", "your", "yours", "yourself", "they", "them", "their", "theirs", "themselves", "he", "she",
                  "him", "her", "his", "i", "me", "my", "we", "us", "our"}


def negation_words(text: str) -> list[str]:
    """The negating words of a piece of text ("hardly", "not", "don't"...)."""
    words = re.findall(r"[A-Za-z]+(?:[’'][a-z]+)?", text.lower())
    return [w for w in words if w in NEGATIONS or w.endswith(("n't", "n’t"))]


class PlainWords(Strict):
    """How the young inspectors' page says an indicator: a clause after "Most young people ...".

    `text` is the clause with its verb in the form `person` and `number` need ("feel safe where
    {they} live"); pronouns are never written out, only as slots ({they} subject, {them} object,
    {their}), so the page cannot write "an adult them trust". `cohorts` gives a cohort its own clause
    where the words differ ("know why {they} came into care" for care leavers). `polarity` says
    whether the clause is a negative statement; the page never puts a negative one after a
    negative amount."""

    text: str
    cohorts: dict[Literal["children_in_care", "care_leavers"], str] = Field(default_factory=dict)
    person: Literal["third"] = "third"
    number: Literal["plural"] = "plural"
    polarity: Literal["positive", "negative"] = "positive"

    @model_validator(mode="after")
    def _slots_and_polarity(self) -> "PlainWords":
        for clause in [self.text, *self.cohorts.values()]:
            bare = [w for w in re.findall(r"[A-Za-z]+", re.sub(r"\{[a-z]+\}", "", clause)) if w.lower() in _BARE_PRONOUNS]
            if bare:
                raise ValueError(f"write pronouns as slots ({', '.join('{' + s + '}' for s in PRONOUN_SLOTS)}), "
                                 f"not as words: {', '.join(bare)} in {clause!r}")
            unknown = [s for s in re.findall(r"\{([^}]*)\}", clause) if s not in PRONOUN_SLOTS]
            if unknown:
                raise ValueError(f"unknown slot {{{unknown[0]}}} in {clause!r} (known: {', '.join(PRONOUN_SLOTS)})")
            negative = bool(negation_words(clause))
            if negative != (self.polarity == "negative"):
                raise ValueError(f"{clause!r} is {'a negative' if negative else 'a positive'} statement, "
                                 f"but polarity says {self.polarity}")
        return self

    def clause(self, cohort: str) -> str:
        return self.cohorts.get(cohort, self.text)


class SurveyIndicator(IndicatorBase):
    source: Literal["survey"]
    says: PlainWords | None = None                    # the young inspectors' page's words
    question_id: str | None = Field(default=None, pattern=ID_PATTERN)
    answer_type: str
    positive: list[str] | Range
    surveys: dict[Literal["YLYC", "YLBC"], list[str]]
    complement: str | None = None                     # label of 100 - value, e.g. "low life satisfaction"

    @property
    def question(self) -> str:
        return self.question_id or self.id


class DfeMetric(IndicatorBase):
    """A metric of the DfE children's social care dashboard, read from a loaded EES file."""

    source: Literal["dfe"]
    framework: Literal["outcome", "enabler"]
    dfe_heading: str                                  # the DfE dashboard's heading
    dfe_dataset_name: str                             # the DfE dashboard's dataset name
    dataset: str                                      # the EES file stem it is loaded under
    indicator: str                                    # the value column of that file
    filters: dict[str, str] = Field(default_factory=dict)
    cohort: str
    # For an interval: the count behind the figure (count_indicator with `filters`) and its base,
    # either another column of the same row (base_indicator) or the same column on the rows
    # selected by base_filters.
    count_indicator: str | None = None
    base_indicator: str | None = None
    base_filters: dict[str, str] | None = None
    # A rate per 10,000 the file does not publish: `indicator` is then the count, divided by the
    # population in another loaded file (the DfE's way: the mid-year estimate of the year before).
    per_10000_of: "Population | None" = None
    # A figure per child the file does not publish: `indicator` times the population's multiplier,
    # divided by the population (spend in GBP thousand per child: multiplier 1000).
    per_head_of: "Population | None" = None
    # A share the file does not publish: multiplier x (indicator - subtract) / denominator, computed on
    # every row (LA, region, England) from the columns of the same row, as the DfE computes it.
    ratio_to: "Ratio | None" = None
    # How the neighbours' figures are combined: their median, or their sum where the DfE sums them
    # (the number of neighbouring LAs with an Ofsted judgement).
    neighbour_aggregate: Literal["median", "sum"] = "median"
    # Periods (time_period as published) the DfE shows as 'x' for every area, with why
    # (absence in 2019/20, KS2 in 2019/20 and 2020/21: no national tests or COVID disruption).
    hidden_periods: list[str] = Field(default_factory=list)
    hidden_reason: str | None = None
    first_year: int | None = None                     # years before it are not shown by the DfE
    # LA code -> the first time_period (as stored) the DfE shows for it: a file that back-casts an LA
    # created by a reorganisation (Fingertips gives North Northamptonshire figures from 2012/13) has
    # its earlier rows dropped, as the value shown and as a neighbour's value alike.
    la_first_period: dict[str, str] = Field(default_factory=dict)
    # Regions the DfE computes from their LAs' counts instead of taking a row of the file (Inner and
    # Outer London for the Fingertips hospital admissions, whose file has London only).
    regions_from_las: "RegionsFromLas | None" = None
    # The DfE matches this file's LAs to its neighbour model by the current LA code only: an LA row
    # the file publishes under a retired code (Fingertips: Barnsley E08000016, Sheffield E08000019,
    # recoded in 2021) has no neighbour median and is nobody's neighbour.
    neighbours_by_current_code_only: bool = False
    headline: bool = False                            # one of the few drawn in the panel report


class Population(Strict):
    """The denominator of a rate per 10,000: a loaded dataset's population column."""

    dataset: str
    indicator: str
    filters: dict[str, str] = Field(default_factory=dict)
    year_offset: int = 1                              # population year + offset = the metric's year
    multiplier: float = 1                             # per_head_of only (per_10000_of: 10,000)


class Ratio(Strict):
    """The denominator (and what to take off the numerator) of a share computed from one file."""

    denominator: str                                  # a value column of the metric's dataset
    subtract: str | None = None                       # a value column taken off the numerator first
    multiplier: float = 100


class RegionsFromLas(Strict):
    """Regions computed from their LAs' rows: multiplier x the sum of the LAs' `count` over the sum
    of their `base`, summed over the LAs with a base (an LA's missing count then adds nothing to
    the numerator), as the DfE computes Inner and Outer London. An LA belongs to the region the
    LA reference gives it, and is set against it; a row the file has for such a region is replaced."""

    regions: list[str]                                # region codes of the LA reference (E13000001 ...)
    count: str                                        # a value column of the metric's dataset
    base: str                                         # a value column of the metric's dataset
    multiplier: float = 10000


class RecordIndicator(IndicatorBase):
    """Computed from record-level returns: voice checks, reviews, feedback forms, local measures."""

    source: Literal["voice_checks", "participation", "feedback", "local_measure"]
    cohort: str
    shape: Literal["rate", "distribution"] = "rate"
    params: dict[str, str | int | list[str] | list[int]] = Field(default_factory=dict)
    # Publication policy for a distribution: categories published as one (category as counted ->
    # category published, e.g. scores 1 and 2 as "1-2"); a category not named is published as itself.
    # The finer counts never reach the gate, so nothing finer is ever published.
    categories_published_together: dict[str, str] = Field(default_factory=dict)


DfeMetric.model_rebuild()

Indicator = Annotated[Union[SurveyIndicator, DfeMetric, RecordIndicator], Field(discriminator="source")]


class Catalogue(BaseModel):
    domains: list[Domain]
    answer_types: dict[str, AnswerType]
    not_answered: dict[str, list[str]]
    indicators: list[Indicator]
    origins: dict[str, tuple[str, int]] = Field(default_factory=dict)  # indicator id -> (file, line)

    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    def domain_ids(self) -> list[str]:
        return [d.id for d in self.domains]

    def survey_indicators(self) -> list[SurveyIndicator]:
        return [i for i in self.indicators if isinstance(i, SurveyIndicator)]

    def questions(self) -> dict[str, SurveyIndicator]:
        """question_id -> the survey indicator that asks it."""
        return {i.question: i for i in self.survey_indicators()}

    def not_answered_lookup(self) -> dict[str, str]:
        return {text.lower(): key for key, texts in self.not_answered.items() for text in texts}


# -- reading the YAML, keeping file and line ---------------------------------------------------

class CatalogueError(Exception):
    """The catalogue YAML cannot be read: each problem names file, line and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# libyaml's parser when PyYAML has it: the pure-Python one took about 2 s of CPU for the catalogue,
# holding the GIL, so a server's first sessions each reading it left it unable to answer for seconds.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_load(text: str):
    try:
        return yaml.load(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)    # the pure-Python parser words its errors better (it raises again here)


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*.yaml") if p.is_file())


def item_lines(text: str, key: str) -> list[int]:
    """1-based line of each item of the top-level list `key` in a YAML document."""
    node = yaml.compose(text, Loader=FAST_LOADER)
    if node is None or not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def read_raw(folder: Path) -> tuple[dict, list[str]]:
    """Merge every YAML file's sections. Returns the raw document and YAML syntax problems."""
    merged: dict = {"domains": [], "answer_types": {}, "not_answered": {}, "indicators": []}
    problems: list[str] = []
    root = Path(folder)
    for f in yaml_files(root):
        rel = f.relative_to(root.parent) if root.parent in f.parents else f
        text = f.read_text(encoding="utf-8")
        try:
            doc = _safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f"line {mark.line + 1}" if mark else "somewhere"
            problems.append(f"{rel}, {line}: not valid YAML ({getattr(exc, 'problem', exc)})")
            continue
        if not isinstance(doc, dict):
            problems.append(f"{rel}, line 1: expected sections such as `indicators:`, found a {type(doc).__name__}")
            continue
        unknown = set(doc) - set(merged)
        for section in sorted(unknown):
            problems.append(f"{rel}: unknown section `{section}` (expected: {', '.join(merged)})")
        is_local = "local" in f.relative_to(root).parts[:-1] if root in f.parents else False
        for key in ("domains", "indicators"):
            items = doc.get(key) or []
            if not isinstance(items, list):
                problems.append(f"{rel}: `{key}` must be a list")
                continue
            for item, line in zip(items, item_lines(text, key) or [0] * len(items)):
                if isinstance(item, dict):
                    item = dict(item)
                    item["__origin"] = (str(rel), line)
                    if key == "indicators" and is_local:
                        item.setdefault("local", True)
                merged[key].append(item)
        for key in ("answer_types", "not_answered"):
            section = doc.get(key) or {}
            for name in section:
                merged.setdefault(f"__{key}_origin", {})[name] = str(rel)
            merged[key].update(section)
    return merged, problems


def build(raw: dict) -> Catalogue:
    """Validate the merged YAML into a Catalogue (raises pydantic's ValidationError)."""
    origins = {}
    indicators = []
    for item in raw["indicators"]:
        item = dict(item)
        origin = item.pop("__origin", ("?", 0))
        if "id" in item:
            origins.setdefault(str(item["id"]), origin)
        indicators.append(item)
    domains = [{k: v for k, v in d.items() if k != "__origin"} for d in raw["domains"]]
    return Catalogue(domains=domains, answer_types=raw["answer_types"], not_answered=raw["not_answered"],
                     indicators=indicators, origins=origins)


def load_catalogue(folder: Path | None = None) -> Catalogue:
    raw, problems = read_raw(Path(folder or paths.INDICATORS))
    if problems:
        raise CatalogueError(problems)
    return build(raw)


_DEFAULT_LOCK = threading.Lock()


def default_catalogue() -> Catalogue:
    """The shipped catalogue, read once per process. The lock makes sessions that ask at the same
    moment (a server's first visitors) wait for one reading instead of each reading it again."""
    with _DEFAULT_LOCK:
        return _default_catalogue()


@lru_cache(maxsize=1)
def _default_catalogue() -> Catalogue:
    return load_catalogue(paths.INDICATORS)
