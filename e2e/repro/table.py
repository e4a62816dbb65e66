"""Strict reading of one TOML table of a scenario: every read is checked, leftover keys are errors.

A ScenarioError names the file, the table and key, and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn


class ScenarioError(ValueError):
    """A scenario file that cannot be used: says which file, which key, and what is allowed."""


_KIND_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "an array", dict: "a table"}


def allowed(values: Iterable[str]) -> str:
    """The allowed values as a message lists them."""
    return ", ".join(values)


class Table:
    """One TOML table being read: every read is checked, leftovers are unknown keys."""

    def __init__(self, path: Path, where: str, data: Any) -> None:
        self.path, self.where = path, where
        if not isinstance(data, dict):
            self.fail(f"must be a table, got {type(data).__name__}")
        self.data: dict[str, Any] = data
        self.read: set[str] = set()

    def fail(self, message: str, key: str | None = None) -> NoReturn:
        at = f"{self.where}.{key}" if key else self.where
        raise ScenarioError(f"{self.path}: {at}: {message}")

    def get(
        self, key: str, kind: type | tuple[type, ...], default: Any = None, *, required: bool = False
    ) -> Any:
        self.read.add(key)
        if key not in self.data:
            if required:
                self.fail("is required", key)
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # TOML booleans are not integers here, whatever Python thinks.
        wrong_bool = isinstance(value, bool) and bool not in kinds
        if wrong_bool or not isinstance(value, kinds):
            names = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
            self.fail(f"must be {names}, got {value!r}", key)
        return value

    def choice(self, key: str, values: Iterable[str], default: str | None = None) -> str | None:
        values = tuple(values)
        value: str | None = self.get(key, str, default)
        if value is not None and value not in values:
            self.fail(f"{value!r} is not allowed; allowed: {allowed(values)}", key)
        return value

    def matching(self, key: str, pattern: re.Pattern[str], what: str, **kwargs: Any) -> str | None:
        value: str | None = self.get(key, str, **kwargs)
        if value is not None and not pattern.match(value):
            self.fail(f"{value!r} is not {what}", key)
        return value

    def count(self, key: str) -> int | None:
        value: int | None = self.get(key, int)
        if value is not None and value < 0:
            self.fail(f"must be 0 or more, got {value}", key)
        return value

    def done(self, keys: Iterable[str] | None = None) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            listed = allowed(keys if keys is not None else sorted(self.read))
            self.fail(f"unknown key {', '.join(map(repr, unknown))}; allowed: {listed}")
