"""The loaders, one per kind of input file (spec section 3)."""
from __future__ import annotations

from importlib import import_module

from dashboard.loaders.base import Loader, LoadResult, run_load

# kind -> "module:Class"; imported on demand so one kind's dependencies never slow another.
KINDS = {
    "bright-spots": "dashboard.loaders.survey:SurveyLoader",
    "feedback": "dashboard.loaders.feedback:FeedbackLoader",
    "participation": "dashboard.loaders.participation:ParticipationLoader",
    "voice-checks": "dashboard.loaders.voice_checks:VoiceChecksLoader",
    "dfe": "dashboard.loaders.dfe:DfeLoader",
    "actions": "dashboard.loaders.actions:ActionsLoader",
    "themes": "dashboard.loaders.themes:ThemesLoader",
    "voice-activities": "dashboard.loaders.voice_activities:VoiceActivitiesLoader",
}


def loader_for(kind: str) -> Loader:
    module, cls = KINDS[kind].split(":")
    return getattr(import_module(module), cls)()


__all__ = ["KINDS", "Loader", "LoadResult", "loader_for", "run_load"]
