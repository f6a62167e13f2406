"""The product's codes and the words shown for them: one place for every page, report and command.

Codes are what files and the database hold; labels are what readers see. The status and
classification codes are enums, so a typo is an error rather than a figure in the wrong column.
"""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A figure's status, kept in its own column beside the value (never a magic number)."""

    OK = "ok"             # published
    HIDDEN = "c"          # hidden by disclosure control
    EMPTY = "z"           # nobody in the group
    LOW = "low"           # DfE: rounds to zero
    NOT_AVAILABLE = "x"
    LOW_RELIABILITY = "u"
    ROUNDS_TO_ZERO = "k"
    # A DfE file's cell as it came: left blank, or an older symbol (GSS conventions) kept as written.
    BLANK = "blank"
    NOT_AVAILABLE_OLD = ":"
    NOT_APPLICABLE_OLD = ".."
    NEGLIGIBLE_OLD = "~"
    NIL_OLD = "-"


class Classification(StrEnum):
    """How a figure reads against its comparator, decided by its interval."""

    BRIGHT_SPOT = "bright spot"
    AREA_TO_LOOK_AT = "area to look at"
    NO_CLEAR_DIFFERENCE = "no clear difference"


CLASSIFICATION_LABELS = {
    Classification.BRIGHT_SPOT: "Bright spot",
    Classification.AREA_TO_LOOK_AT: "Area to look at",
    Classification.NO_CLEAR_DIFFERENCE: "No clear difference",
}

# Whose views: the two Bright Spots surveys.
SURVEY_COHORTS = {"YLYC": "children_in_care", "YLBC": "care_leavers"}
COHORT_LABELS = {"children_in_care": "children in care", "care_leavers": "care leavers"}
COHORT_SURVEY_LABELS = {"children_in_care": "Children in care (Your Life, Your Care)",
                        "care_leavers": "Care leavers (Your Life Beyond Care)"}
# The populations of record measures and DfE metrics.
POPULATION_LABELS = {
    **COHORT_LABELS,
    "children_looked_after": "children looked after", "children_in_need": "children in need",
    "child_protection": "children on protection plans", "children_with_a_social_worker": "children with a social worker",
    "children_with_reviews": "children with reviews", "families_receiving_direct_work": "families in direct work",
    "workforce": "social work workforce", "childrens_services": "children's services",
    "children_aged_0_to_14": "children aged 0 to 14",
}

ACTION_STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "done": "Done",
                        "not_possible": "Not possible"}
ACTION_SOURCE_LABELS = {
    "bright_spots": "Bright Spots survey", "children_in_care_council": "Children in care council",
    "care_leavers_forum": "Care leavers forum", "young_inspectors": "Young inspectors",
    "feedback": "Feedback forms", "participation": "Participation in reviews", "complaints": "Complaints",
    "advocacy": "Advocacy", "other": "Other",
}
SERVICE_LABELS = {
    "early_help": "Early help", "child_in_need": "Child in need", "child_protection": "Child protection",
    "child_in_care": "Children in care", "care_leaver": "Care leavers", "disabled_children": "Disabled children",
    "mash": "Front door (MASH)", "iro": "Independent reviewing officers", "pre_birth": "Pre-birth",
}
RESPONDENT_LABELS = {"child": "Child", "young_person": "Young person", "parent_carer": "Parent or carer",
                     "network_member": "Family network member"}
# Groups published together (disclosure.yaml, groups_published_together): shown, never loaded.
PUBLISHED_TOGETHER_LABELS = {
    "service": {"mash_or_pre_birth": "Front door (MASH) or pre-birth"},
    "respondent": {"parent_carer_or_network": "Parent, carer or family network member"},
}
REVIEW_TYPE_LABELS = {
    "early_help": "Early help", "child_in_need": "Child in need", "child_protection": "Child protection",
    "child_looked_after": "Child looked after", "pathway": "Pathway (care leavers)",
}
FIGURE_SOURCE_LABELS = {"survey": "Bright Spots survey", "dfe": "DfE statistics", "voice_checks": "Voice checks",
                        "participation": "Participation in reviews", "feedback": "Feedback forms",
                        "local_measure": "Local measure"}
