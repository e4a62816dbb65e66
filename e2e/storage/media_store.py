"""The media store as DevTools shows it: `useMediaStore.getState().mediaItems` (the report's quick check 4).

Read it after the UI has settled (a toast or badge waited for with `expect`): the cards render from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page

READ_ITEMS = """() => useMediaStore.getState().mediaItems.map((item) => ({
  id: item.id, name: item.name, type: item.type, url: item.url || "", originalUrl: item.originalUrl || "",
  fileSize: item.file ? item.file.size : null, metadata: item.metadata || {},
}))"""

# The three storage flags the fix defines, and nothing else reads as a storage flag.
FLAGS = ("unsaved", "storageError", "urlOnly")


@dataclass(frozen=True)
class StoredItem:
    """One media item in the store."""

    id: str
    name: str
    type: str
    url: str
    original_url: str
    file_size: int | None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def flags(self) -> dict[str, Any]:
        """The storage flags present in `metadata`, with their exact values."""
        return {key: self.metadata[key] for key in FLAGS if key in self.metadata}


def stored_items(page: Page) -> list[StoredItem]:
    return [
        StoredItem(
            raw["id"],
            raw["name"],
            raw["type"],
            raw["url"],
            raw["originalUrl"],
            raw["fileSize"],
            raw["metadata"],
        )
        for raw in page.evaluate(READ_ITEMS)
    ]


def stored_item(page: Page, name: str) -> StoredItem:
    """The one item named `name` in the store; fails saying what the store holds instead."""
    items = stored_items(page)
    found = [item for item in items if item.name == name]
    assert len(found) == 1, (
        f"useMediaStore.getState().mediaItems should hold one {name!r}; it holds "
        f"{[item.name for item in items] or 'nothing'}"
    )
    return found[0]
