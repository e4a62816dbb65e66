"""The app's AI models as the app itself declares them (`static/js/lib/ai-models.js`), read once.

The JavaScript module is the one source: the page objects, the scenario loader and the HAR converter all
take the models from here, so a model added to the app is known to the tools without another edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MODELS_JS = Path(__file__).resolve().parent / "static" / "js" / "lib" / "ai-models.js"

# One entry of `AI_MODELS`: its fields are read by name, in any order, up to its nested `defaults`.
_ENTRY = re.compile(r"\{\s*id:\s*\"(?P<id>[^\"]+)\"(?P<body>.*?)(?:defaults:|\}\s*,?\s*(?:\{|\]))", re.S)
_FIELD = re.compile(r"\b(?P<key>name|endpoint|mode):\s*\"(?P<value>[^\"]*)\"")


@dataclass(frozen=True)
class AppModel:
    """One model the AI view offers: its checkbox id, the name its label shows, and the FAL call it makes."""

    id: str
    name: str
    endpoint: str
    mode: str  # "sync" (POST fal.run) or "queue" (queue.fal.run submit, status polls, result)


def read_models(path: Path = MODELS_JS) -> tuple[AppModel, ...]:
    """The models declared in an `ai-models.js`; empty when the file cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ()
    models = []
    for entry in _ENTRY.finditer(text):
        fields = {match["key"]: match["value"] for match in _FIELD.finditer(entry["body"])}
        found = {key: fields.get(key, "") for key in ("name", "endpoint", "mode")}
        models.append(AppModel(id=entry["id"], **found))
    return tuple(models)


APP_MODELS = read_models()


def model_for_endpoint(endpoint: str, models: tuple[AppModel, ...] = APP_MODELS) -> AppModel | None:
    """The app's model that calls this FAL endpoint, or None when the app offers none."""
    return next((model for model in models if model.endpoint == endpoint), None)


def model_by_id(model_id: str, models: tuple[AppModel, ...] = APP_MODELS) -> AppModel | None:
    """The app's model with this id, or None."""
    return next((model for model in models if model.id == model_id), None)
