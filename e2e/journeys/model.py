"""What the user should see at every moment of a journey, as plain data: the model the page must match.

It follows the bug report's plan, not the app's code: an item belongs to the project that started it; a
failed save keeps it listed, unsaved, with Retry (or URL-only with "Save locally" when storage is blocked);
a filter that hides a new item is explained by a hint; a reload shows what storage holds; and only the
toasts that what happened calls for may appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from e2e.pages.ai_panel import QUEUED_MODEL, SYNC_MODEL, generated_name
from e2e.pages.projects_page import project_name

Saved = Literal["saved", "unsaved", "url-only"]

# The models a journey generates with: one on fal.run, one through the queue.
MODELS = (SYNC_MODEL, QUEUED_MODEL)
# The media panel's type filter: its labels, and which of them show a generated (video) item.
FILTERS = ("All", "Video", "Audio", "Image")
SHOWS_VIDEO = ("All", "Video")

# Prompt words that are no substring of one another or of the rest of an item's name, so a search for one
# finds exactly the items made with it.
WORDS = (
    "Harbor",
    "Meadow",
    "Canyon",
    "Glacier",
    "Orchard",
    "Lagoon",
    "Prairie",
    "Volcano",
    "Tundra",
    "Fjord",
)
PROMPT_TAIL = " at dusk"
NO_MATCH = "zebra"

# What the app says, as the user reads it.
STORAGE_FULL = "Storage space is full. Please free up space and try again."
OPFS_DENIED = "Storage directory access is denied."
UNPLAYABLE_TOAST = "The generated video can't be played"
UNSAVED_TOAST = "Saved locally, storage failed. Item marked unsaved; retry later."
URL_ONLY_TOAST = "Saved as URL-only; persistent storage blocked. Re-download when storage is available."


def prompt_for(word: str) -> str:
    return f"{word}{PROMPT_TAIL}"


@dataclass(frozen=True)
class Toast:
    """A toast the user may see; `description` None allows any (an error id, for instance)."""

    kind: str
    title: str
    description: str | None = None

    def allows(self, kind: str, title: str, description: str) -> bool:
        return (
            kind == self.kind
            and title == self.title
            and (self.description is None or description == self.description)
        )


@dataclass
class Item:
    """A generated video: its prompt word, the model, the project that started it, its storage state, and
    whether a browser can decode it."""

    word: str
    model: str
    project: str
    state: Saved = "saved"
    playable: bool = True

    @property
    def prompt(self) -> str:
        return prompt_for(self.word)

    @property
    def name(self) -> str:
        return generated_name(self.prompt)

    @property
    def key(self) -> tuple[str, str]:
        """What tells the item apart: one click with several models makes videos named alike."""
        return self.word, self.model


@dataclass
class UserView:
    """The user's view of the app: open project, every project's items, filters, hint and allowed toasts."""

    projects: list[str] = field(default_factory=lambda: [project_name(1)])
    current: str = project_name(1)
    items: list[Item] = field(default_factory=list)
    type_filter: str = "All"
    search: str = ""
    # Items that arrived on screen since the project was last loaded: the ones the hint may count.
    recent: list[str] = field(default_factory=list)
    quota_full: bool = False
    storage_blocked: bool = False
    toasts: list[Toast] = field(default_factory=list)
    # What the last step must have told the user (each also allowed): checked, then cleared, after each step.
    due: list[Toast] = field(default_factory=list)
    # The AI panel's error box: the last run's refusal, until a run succeeds or the page is reloaded.
    ai_error: str | None = None
    # The AI panel's 'Generated Videos': every video this page made, whichever project it went to.
    ai_results: int = 0
    # The item chosen for the preview (its key), until it is deleted, another project opened or the page
    # reloaded.
    previewing: tuple[str, str] | None = None

    # --- what the user sees -------------------------------------------------------------------------

    def in_project(self, project: str | None = None) -> list[Item]:
        """Every item of `project` (the one on screen by default), shown or hidden by the filters."""
        wanted = project or self.current
        return [item for item in self.items if item.project == wanted]

    def shows(self, item: Item) -> bool:
        """Whether the type filter and the search let `item` through."""
        query = self.search.strip().lower()
        return self.type_filter in SHOWS_VIDEO and (not query or query in item.name.lower())

    def listed(self) -> list[Item]:
        return [item for item in self.in_project() if self.shows(item)]

    def hidden_new(self) -> list[Item]:
        """New items of this page session that the filters hide: what the hint must count."""
        return [item for item in self.in_project() if item.name in self.recent and not self.shows(item)]

    def previewed_here(self) -> Item | None:
        """What the preview shows: the item chosen, if it is in the project on screen."""
        return next((item for item in self.in_project() if item.key == self.previewing), None)

    def item(self, key: tuple[str, str]) -> Item:
        return next(item for item in self.items if item.key == key)

    def namesakes(self, item: Item) -> list[Item]:
        """The items of `item`'s project named as it is (itself included): one click, several models."""
        return [other for other in self.in_project(item.project) if other.name == item.name]

    @property
    def storage_ok(self) -> bool:
        return not (self.quota_full or self.storage_blocked)

    def unused_words(self) -> list[str]:
        used = {item.word for item in self.items}
        return [word for word in WORDS if word not in used]

    def search_terms(self) -> list[str]:
        """What a user might type: a word of an item here, the words every item shares, or nothing found."""
        return [*(item.word.lower() for item in self.items), PROMPT_TAIL.strip(), NO_MATCH]

    # --- what the user does -------------------------------------------------------------------------

    def create_project(self) -> str:
        name = project_name(len(self.projects) + 1)
        self.projects.append(name)
        self.open(name)
        return name

    def open(self, project: str) -> None:
        """Opening a project loads its media; the filters stay as they were, nothing is new any more, and
        the preview starts empty."""
        self.current = project
        self.recent = []
        self.previewing = None

    def generated(self, word: str, model: str, started_in: str) -> Item:
        """A video started in `started_in` arrives (the user may be looking at another project by then)."""
        state: Saved = "url-only" if self.storage_blocked else "unsaved" if self.quota_full else "saved"
        item = Item(word, model, started_in, state)
        self.items.append(item)
        self.ai_error = None
        self.ai_results += 1
        on_screen = self.current == started_in
        if on_screen:
            self.recent.append(item.name)
        if state == "saved":
            viewing = (
                item.name
                if on_screen
                else f'You are viewing "{self.current}". Open "{started_in}" to see it.'
            )
            self.call_for(Toast("success", f'Video added to "{started_in}"', viewing))
        elif state == "unsaved":
            self.call_for(Toast("warning", UNSAVED_TOAST, item.name), Toast("error", STORAGE_FULL))
        else:
            self.call_for(Toast("warning", URL_ONLY_TOAST, item.name), Toast("error", OPFS_DENIED))
        return item

    def generated_together(self, word: str, models: tuple[str, ...], started_in: str) -> list[Item]:
        """One click with several models ticked: a video from each, in the order ticked, named alike."""
        return [self.generated(word, model, started_in) for model in models]

    def generated_unplayable(self, word: str, model: str, started_in: str) -> Item:
        """A video no browser can decode arrives: listed as any other, and the user is warned."""
        item = self.generated(word, model, started_in)
        item.playable = False
        self.call_for(Toast("warning", UNPLAYABLE_TOAST))
        return item

    def refused(self, message: str) -> None:
        """FAL refused the run: the user is told why, and nothing is added."""
        self.ai_error = message
        self.call_for(Toast("warning", message))

    def retried(self, item: Item) -> None:
        """Retry saves an unsaved item, unless storage still fails: then it says why, and the item stays
        as it was."""
        if self.quota_full:
            self.call_for(Toast("error", STORAGE_FULL))
            return
        if self.storage_blocked:
            self.call_for(Toast("error", OPFS_DENIED))
            return
        item.state = "saved"
        self.call_for(Toast("success", "Saved to storage", item.name))

    def saved_locally(self, item: Item) -> None:
        item.state = "saved"
        self.call_for(Toast("success", "Saved locally", item.name))

    def previewed(self, item: Item) -> None:
        self.previewing = item.key

    def deleted(self, item: Item) -> None:
        """A deleted item goes from the list, from storage and from the preview."""
        self.items.remove(item)
        if self.previewing == item.key:
            self.previewing = None
        if item.name in self.recent:
            self.recent.remove(item.name)

    def reloaded(self) -> None:
        """A reload shows what storage holds: an unsaved item lived only in the page and is gone."""
        self.items = [item for item in self.items if item.state != "unsaved"]
        self.type_filter, self.search, self.recent, self.ai_error = "All", "", [], None
        self.ai_results, self.previewing = 0, None

    def allow(self, *toasts: Toast) -> None:
        self.toasts.extend(toasts)

    def call_for(self, toast: Toast, *may_follow: Toast) -> None:
        """This step must show `toast`; it may also show `may_follow` (a storage error beside a warning)."""
        self.allow(toast, *may_follow)
        self.due.append(toast)

    def toast_allowed(self, kind: str, title: str, description: str) -> bool:
        return any(toast.allows(kind, title, description) for toast in self.toasts)
