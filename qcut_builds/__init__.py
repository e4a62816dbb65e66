"""Real QCut builds: build QCut commits from source, cached by commit, and serve a build as it ships."""

from .build import (
    Build,
    BuildError,
    UnknownBuild,
    ensure_built,
    find_build,
    known_builds,
    no_snapshot_message,
)

__all__ = [
    "Build",
    "BuildError",
    "UnknownBuild",
    "ensure_built",
    "find_build",
    "known_builds",
    "no_snapshot_message",
]
