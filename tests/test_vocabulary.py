"""One vocabulary of codes and labels (dashboard/vocabulary.py) for loaders, pages and reports."""
from __future__ import annotations

import pytest

from dashboard import vocabulary as v
from dashboard.catalogue import DfeMetric, RecordIndicator, default_catalogue
from dashboard.disclosure import EMPTY, HIDDEN, OK

CATALOGUE = default_catalogue()


@pytest.mark.parametrize("ind", [i for i in CATALOGUE.indicators if isinstance(i, (DfeMetric, RecordIndicator))],
                         ids=lambda i: i.id)
def test_every_population_in_the_catalogue_has_words_for_readers(ind):
    assert ind.cohort in v.POPULATION_LABELS


def test_status_codes_are_the_gates_codes():
    assert (v.Status.OK, v.Status.HIDDEN, v.Status.EMPTY) == (OK, HIDDEN, EMPTY)


def test_every_classification_has_a_label():
    assert set(v.CLASSIFICATION_LABELS) == set(v.Classification)


def test_survey_cohorts_are_the_catalogues():
    from dashboard.catalogue import SURVEY_COHORT

    assert v.SURVEY_COHORTS == SURVEY_COHORT and set(v.COHORT_LABELS) == set(SURVEY_COHORT.values())


@pytest.mark.parametrize("code", ["blank", "ok", *__import__("dashboard.loaders.dfe", fromlist=["SYMBOLS"]).SYMBOLS])
def test_every_status_a_dfe_file_can_give_is_in_the_vocabulary(code):
    # The DfE loader keeps a blank cell as 'blank' and a symbol as written (lower case).
    assert v.Status(code) == code
