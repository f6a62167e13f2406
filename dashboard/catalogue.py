"""The indicator catalogue in indicators/*.yaml: questions, answer types and indicators.

Adding an indicator means editing YAML. This module validates the YAML with pydantic and
answers the questions the loaders and the engine ask of it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from dashboard import paths

SURVEY_BANDS = {"YLYC": ("4-7", "8-10", "8-11", "11-17"), "YLBC": ("16-25",)}
BLANK = "blank"


class Range(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min: int
    max: int


class AnswerType(BaseModel):
    model_config = ConfigDict(extra="forbid")
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


class Indicator(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    domain: str
    title: str
    answer_type: str | None = None
    question_id: str | None = None
    positive: list[str] | Range | None = None
    surveys: dict[Literal["YLYC", "YLBC"], list[str]] = Field(default_factory=dict)

    @property
    def question(self) -> str | None:
        if self.answer_type is None:
            return None
        return self.question_id or self.id


class Catalogue(BaseModel):
    answer_types: dict[str, AnswerType]
    not_answered: dict[str, list[str]]
    indicators: list[Indicator]

    def questions(self) -> dict[str, Indicator]:
        """question_id -> the indicator that asks it (survey indicators only)."""
        return {i.question: i for i in self.indicators if i.question}

    def not_answered_lookup(self) -> dict[str, str]:
        return {text.lower(): key for key, texts in self.not_answered.items() for text in texts}


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file())


def load_catalogue(folder: Path | None = None) -> Catalogue:
    folder = Path(folder or paths.INDICATORS)
    answer_types: dict = {}
    not_answered: dict = {}
    indicators: list = []
    for f in _yaml_files(folder):
        doc = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        answer_types.update(doc.get("answer_types") or {})
        not_answered.update(doc.get("not_answered") or {})
        indicators.extend(doc.get("indicators") or [])
    return Catalogue(answer_types=answer_types, not_answered=not_answered, indicators=indicators)


@lru_cache(maxsize=4)
def default_catalogue() -> Catalogue:
    return load_catalogue(paths.INDICATORS)
