"""Journeys planned to put every pair of user actions together: the CI run's journeys.

Random journeys rarely bring two given actions together (a retry right after a failed retry, a switch back
while an item is unsaved): 8 of them reached 24 of 256 ordered pairs. A tour is planned on the model
(`model.UserView`) instead. First the model's reachable states are explored to learn which ordered pairs can
follow each other at all (the second action's preconditions hold right after the first, in some state); then
journeys are laid out, each step the nearest way to a pair not yet covered. The plan is deterministic, so
each xdist worker plans the same tour and runs its share of the journeys (`share`).

Each rule's effect on the model is the model's own method (`UserView.generated`, `.open`, `.deleted`, ...),
as the rule itself calls it; the run checks after every step that the page's model and the plan agree.
"""

from __future__ import annotations

import fcntl
import hashlib
import inspect
import os
import pickle
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from e2e.journeys.fal_rules import after_trouble, trouble_for
from e2e.journeys.model import FILTERS, MODELS, NO_MATCH, PROMPT_TAIL, UserView
from e2e.journeys.pairs import RULE_MARKER, Pair, rules_of
from e2e.pages.ai_panel import SYNC_MODEL

# Where journeys start: the number of projects, and storage as the user's browser has it.
STARTS = (
    (1, "ok"),
    (3, "ok"),
    (2, "quota-full"),
    (2, "opfs-blocked"),
    (1, "quota-full"),
    (3, "opfs-blocked"),
)
JOURNEY_STEPS = 24  # steps per journey: long enough to reach deep pairs, short enough to split well
MAX_JOURNEYS = 24
# The share of the pairs that can follow each other the tour sets out to cover: the last few need long
# detours (a URL-only video saved after an unsaved one was retried) that cost more than they are worth in CI.
TARGET_SHARE = 0.96
NEAREST = 5  # how many steps ahead the planner looks for a pair not yet covered
# The model's states explored to learn which pairs can follow each other (breadth first from each start):
# those with at most EXPLORED_ITEMS videos (no precondition asks for more than an unsaved one beside a
# URL-only one), and at most EXPLORED_STATES of them, which keeps the plan to seconds.
EXPLORED_ITEMS = 3
EXPLORED_STATES = 3_000
# A generation against another step (the check after it included), as timed on the 2-core machine
# (2026-12-07): about 0.9 s against 0.1 s.
GENERATION_COST = 9


@dataclass(frozen=True)
class Move:
    """One step of a journey: a rule, its arguments, and what it draws (a project, an item's name, a term)."""

    rule: str
    arguments: tuple[tuple[str, Any], ...] = ()
    draws: tuple[Any, ...] = ()

    def describe(self) -> str:
        shown = [f"{name}={value!r}" for name, value in self.arguments] + [
            repr(value) for value in self.draws
        ]
        return f"{self.rule}({', '.join(shown)})"


@dataclass(frozen=True)
class PlannedJourney:
    projects: int
    storage: str
    moves: tuple[Move, ...]

    def describe(self) -> str:
        start = f"start: {self.projects} project(s), storage {self.storage}"
        return "; ".join([start, *(move.describe() for move in self.moves)])


@dataclass
class Tour:
    """The planned journeys, and which ordered pairs can follow each other at all."""

    journeys: list[PlannedJourney]
    possible: list[Pair]  # every ordered pair of the rules the app offers
    can_follow: set[Pair]  # those whose second action is possible right after the first, in some state
    states_explored: int = 0

    def share(self, shard: int, shards: int) -> list[PlannedJourney]:
        """Shard `shard` of `shards`: the journeys dealt costliest first, each to the shard with the least
        work so far, so the shards (and xdist's workers) end together."""
        loads = [0] * shards
        dealt: list[list[PlannedJourney]] = [[] for _ in range(shards)]
        for journey in sorted(self.journeys, key=journey_cost, reverse=True):
            least = loads.index(min(loads))
            dealt[least].append(journey)
            loads[least] += journey_cost(journey)
        return dealt[shard]

    def planned_pairs(self) -> set[Pair]:
        return {(a.rule, b.rule) for journey in self.journeys for a, b in pairwise(journey.moves)}


def journey_cost(journey: PlannedJourney) -> int:
    """A journey's time in steps: a generation costs about GENERATION_COST other steps."""
    return sum(GENERATION_COST if move.rule.startswith("generate") else 1 for move in journey.moves)


# --- the model's side of each rule ---------------------------------------------------------------


@dataclass
class Subject:
    """What a rule's preconditions read (`self.view`, `self.can`), on a model of the view alone."""

    view: UserView
    usable: frozenset[str]

    def can(self, *features: str) -> bool:
        return set(features) <= self.usable


def _first_word(view: UserView) -> str:
    return view.unused_words()[0]


def _model_for(view: UserView) -> str:
    return MODELS[len(view.items) % len(MODELS)]


def _models_for(view: UserView) -> tuple[str, ...]:
    """One model or every model in one click, in turn: one choice per state keeps the plan's search small."""
    choices = [(model,) for model in MODELS] + [MODELS]
    return choices[len(view.items) % len(choices)]


def _other_projects(view: UserView) -> list[str]:
    return [project for project in view.projects if project != view.current]


def _options(rule: str, view: UserView) -> list[Move]:
    """The moves of `rule` from `view` the planner considers: one per choice that changes what follows."""
    listed = view.listed()
    choices: dict[str, Callable[[], list[Move]]] = {
        "generate": lambda: [Move(rule, (("model", _model_for(view)),))],
        "generate_while_fal_has_trouble": lambda: [Move(rule, (("trouble", trouble_for(view)),))],
        "generate_and_switch_before_it_arrives": lambda: [
            Move(rule, (("models", _models_for(view)),), (project,)) for project in _other_projects(view)[:1]
        ],
        "switch_project": lambda: [Move(rule, (), (project,)) for project in _other_projects(view)],
        "filter_by": lambda: [
            Move(rule, (("label", label),)) for label in FILTERS if label != view.type_filter
        ],
        "search": lambda: [
            Move(rule, (), (term,))
            for term in dict.fromkeys(
                [*(item.word.lower() for item in view.items[:1]), PROMPT_TAIL.strip(), NO_MATCH]
            )
            if term != view.search
        ],
        "preview": lambda: [Move(rule, (), (item.key,)) for item in [i for i in listed if i.playable][-1:]],
        "preview_an_unplayable_clip": lambda: [
            Move(rule, (), (item.key,)) for item in [i for i in listed if not i.playable][-1:]
        ],
        "delete": lambda: [Move(rule, (), (item.key,)) for item in listed[-1:]],
        "retry": lambda: [Move(rule, (), (item.key,)) for item in listed if item.state == "unsaved"][:1],
        "save_locally": lambda: [Move(rule, (), (item.key,)) for item in listed if item.state == "url-only"][
            :1
        ],
    }
    return choices.get(rule, lambda: [Move(rule)])()


# What each rule does to the model: the model's own method, as the rule calls it (`view`, the rule's
# arguments, the move for what it drew).
Effect = Callable[[UserView, dict[str, Any], "Move"], object]
EFFECTS: dict[str, Effect] = {
    "generate": lambda view, arguments, _: view.generated(
        _first_word(view), arguments["model"], view.current
    ),
    "generate_while_fal_has_trouble": lambda view, arguments, _: after_trouble(
        view, arguments["trouble"], _first_word(view)
    ),
    "generate_an_unplayable_clip": lambda view, _, __: view.generated_unplayable(
        _first_word(view), SYNC_MODEL, view.current
    ),
    "generate_with_every_model": lambda view, _, __: view.generated_together(
        _first_word(view), MODELS, view.current
    ),
    "generate_and_switch_before_it_arrives": lambda view, arguments, move: _generate_and_switch(
        view, arguments["models"], move
    ),
    "create_project": lambda view, _, __: view.create_project(),
    "switch_project": lambda view, _, move: view.open(move.draws[0]),
    "filter_by": lambda view, arguments, _: setattr(view, "type_filter", arguments["label"]),
    "search": lambda view, _, move: setattr(view, "search", move.draws[0]),
    "clear_filters": lambda view, _, __: _clear_filters(view),
    "preview": lambda view, _, move: view.previewed(view.item(move.draws[0])),
    "preview_an_unplayable_clip": lambda view, _, move: view.previewed(view.item(move.draws[0])),
    "delete": lambda view, _, move: view.deleted(view.item(move.draws[0])),
    "retry": lambda view, _, move: view.retried(view.item(move.draws[0])),
    "save_locally": lambda view, _, move: view.saved_locally(view.item(move.draws[0])),
    "reload": lambda view, _, __: view.reloaded(),
    "fill_quota": lambda view, _, __: setattr(view, "quota_full", True),
    "restore_quota": lambda view, _, __: setattr(view, "quota_full", False),
    "block_storage": lambda view, _, __: setattr(view, "storage_blocked", True),
    "unblock_storage": lambda view, _, __: setattr(view, "storage_blocked", False),
}


def apply(view: UserView, move: Move) -> None:
    """What `move` does to the model (EFFECTS)."""
    EFFECTS[move.rule](view, dict(move.arguments), move)


def _generate_and_switch(view: UserView, models: tuple[str, ...], move: Move) -> None:
    word, started_in = _first_word(view), view.current
    view.open(move.draws[0])
    view.generated_together(word, models, started_in)


def _clear_filters(view: UserView) -> None:
    view.type_filter, view.search = "All", ""


def start_view(projects: int, storage: str) -> UserView:
    """The model after `the_user_starts(projects, storage)`."""
    view = UserView()
    for _ in range(projects - 1):
        view.create_project()
    view.quota_full = storage == "quota-full"
    view.storage_blocked = storage == "opfs-blocked"
    return view


StateKey = tuple[Any, ...]


def state_key(view: UserView) -> StateKey:
    """What the rules' preconditions and effects can tell apart (not the toasts a step allows)."""
    items = tuple((item.key, item.project, item.state, item.playable) for item in view.items)
    return (
        tuple(view.projects), view.current, items, view.type_filter, view.search, tuple(view.recent),
        view.quota_full, view.storage_blocked, view.ai_error,
    )  # fmt: skip


def _copy(view: UserView) -> UserView:
    return replace(
        view,
        projects=list(view.projects),
        items=[replace(item) for item in view.items],
        recent=list(view.recent),
        toasts=[],
        due=[],
    )


# --- planning ------------------------------------------------------------------------------------


@dataclass
class Planner:
    """Plans a tour for a state machine's rules on the app's features (`usable`)."""

    machine: type
    usable: frozenset[str]
    preconditions: dict[str, tuple[Callable[[Any], bool], ...]] = field(init=False)
    # The plan asks the same states again and again (every search starts near the last): each answer once,
    # by the state's key (`state_key`), each state's view kept once.
    _views: dict[StateKey, UserView] = field(init=False, default_factory=dict)
    _moves: dict[StateKey, list[Move]] = field(init=False, default_factory=dict)
    _after: dict[tuple[StateKey, Move], StateKey] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        offered = [name for name, rule in rules_of(self.machine).items() if set(rule.needs) <= self.usable]
        self.preconditions = {
            name: tuple(getattr(getattr(self.machine, name), RULE_MARKER).preconditions) for name in offered
        }

    def node(self, view: UserView) -> StateKey:
        """`view`'s key, its view kept for the planner (never to be changed: the planner shares it)."""
        key = state_key(view)
        self._views.setdefault(key, view)
        return key

    def moves(self, key: StateKey) -> list[Move]:
        """Every move the planner considers that the rules' preconditions allow in the state `key`."""
        if key not in self._moves:
            view = self._views[key]
            subject = Subject(view, self.usable)
            self._moves[key] = [
                move
                for rule, preconditions in self.preconditions.items()
                if all(condition(subject) for condition in preconditions)
                for move in _options(rule, view)
            ]
        return self._moves[key]

    def after(self, key: StateKey, move: Move) -> StateKey:
        """The state after `move` from the state `key`."""
        if (key, move) not in self._after:
            following = _copy(self._views[key])
            apply(following, move)
            self._after[key, move] = self.node(following)
        return self._after[key, move]

    def can_follow(self) -> tuple[set[Pair], int]:
        """The pairs whose second action the preconditions allow right after the first, in some state the
        model reaches from a start (EXPLORED_ITEMS, EXPLORED_STATES); and how many states that was."""
        queue = deque(self.node(start_view(*start)) for start in STARTS)
        seen = set(queue)
        found: set[Pair] = set()
        while queue:
            key = queue.popleft()
            for move in self.moves(key):
                following = self.after(key, move)
                found.update((move.rule, then.rule) for then in self.moves(following))
                small = len(self._views[following].items) <= EXPLORED_ITEMS
                if following not in seen and small and len(seen) < EXPLORED_STATES:
                    seen.add(following)
                    queue.append(following)
        return found, len(seen)

    def nearest(self, view: UserView, last: str | None, wanted: set[Pair]) -> list[Move] | None:
        """The fewest moves from `view` (after `last`) whose last two make a pair in `wanted`."""
        frontier: list[tuple[StateKey, str | None, list[Move]]] = [(self.node(view), last, [])]
        seen = {(frontier[0][0], last)}
        for _ in range(NEAREST):
            ahead: list[tuple[StateKey, str | None, list[Move]]] = []
            for state, previous, path in frontier:
                for move in self.moves(state):
                    if (previous, move.rule) in wanted:
                        return [*path, move]
                    following = self.after(state, move)
                    if (following, move.rule) not in seen:
                        seen.add((following, move.rule))
                        ahead.append((following, move.rule, [*path, move]))
            frontier = ahead
        return None

    def journey(self, projects: int, storage: str, wanted: set[Pair]) -> PlannedJourney:
        """One journey from this start, each step the nearest way to a pair in `wanted` (which it shrinks)."""
        view, last = start_view(projects, storage), None
        moves: list[Move] = []
        while len(moves) < JOURNEY_STEPS and (path := self.nearest(view, last, wanted)):
            for move in path[: JOURNEY_STEPS - len(moves)]:
                wanted.discard((last or "", move.rule))
                apply(view, move)
                moves.append(move)
                last = move.rule
        return PlannedJourney(projects, storage, tuple(moves))

    def plan(self) -> Tour:
        can_follow, explored = self.can_follow()
        wanted = set(can_follow)
        journeys: list[PlannedJourney] = []
        enough = int(len(can_follow) * (1 - TARGET_SHARE))
        while len(wanted) > enough and len(journeys) < MAX_JOURNEYS:
            # Each journey from the start nearest to a pair still wanted: the deep ones need their own.
            ways = [(self.nearest(start_view(*start), None, wanted), start) for start in STARTS]
            reachable = [(len(path), start) for path, start in ways if path]
            if not reachable:
                break
            journeys.append(self.journey(*min(reachable)[1], wanted))
        possible = [(a, b) for a in self.preconditions for b in self.preconditions]
        return Tour(journeys, possible, can_follow, explored)


def planned_tour(machine: type, usable: frozenset[str], folder: Path) -> Tour:
    """The tour for `machine` on these features, planned once per code and kept in `folder`: every xdist
    worker of a run (and every run until the journeys' code changes) reads the same plan, where each would
    otherwise spend seconds, and under a loaded machine a minute, planning it anew. Workers that ask at once
    wait for the first one's plan (a lock on the folder's plan file) instead of planning it side by side."""
    path = folder / f"tour-{plan_key(machine, usable)}.pickle"
    folder.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if path.is_file():
            tour: Tour = pickle.loads(path.read_bytes())
            return tour
        tour = Planner(machine, usable).plan()
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(tour))
        partial.replace(path)  # atomic: a reader without the lock sees the whole plan or none
        return tour


def plan_key(machine: type, usable: frozenset[str]) -> str:
    """What the plan depends on: the code of the machine's modules (its rules and the model's effects), this
    module's, and the app's features."""
    modules = {sys.modules[cls.__module__] for cls in machine.__mro__ if cls.__module__.startswith("e2e.")}
    digest = hashlib.sha256()
    for module in sorted({*modules, sys.modules[__name__], sys.modules[UserView.__module__]}, key=str):
        digest.update(inspect.getsource(module).encode())
    digest.update(",".join(sorted(usable)).encode())
    return digest.hexdigest()[:16]
