"""The media store as DevTools shows it: `useMediaStore.getState().mediaItems` (the report's quick check 4),
and what the app's `storageService` keeps per project.

Read the store after the UI has settled (a toast or badge waited for with `expect`): the cards render from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

READ_ITEMS = """() => useMediaStore.getState().mediaItems.map((item) => ({
  id: item.id, name: item.name, type: item.type, url: item.url || "", originalUrl: item.originalUrl || "",
  fileSize: item.file ? item.file.size : null, metadata: item.metadata || {},
}))"""

# Each project in storage with the names of its media, as the app's own storageService loads them (the same
# handle on every app). A project is asked for by id, or by name where the app tells projects apart by name.
STORED_BY_PROJECT = """async () => {
  const projects = [];
  for (const { id, name } of await storageService.loadAllProjects()) {
    projects.push({ id, name, media: (await storageService.loadAllMediaItems(id)).map((item) => item.name) });
  }
  return projects;
}"""
# Whether storage holds `name` in `project` (its id, or its name where the app tells projects apart by name).
STORED_IN = f"""async ([project, name]) => {{
  const projects = await ({STORED_BY_PROJECT})();
  const asked = projects.find(({{ id, name: title }}) => id === project || title === project);
  return (asked?.media ?? []).includes(name);
}}"""
# Whether the project's IndexedDB holds at most `most` records named `name`: a delete has let go of one.
# Storage the page cannot open counts as holding nothing.
STORED_AT_MOST = """async ([projectId, name, most]) => {
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result);
                                                            r.onerror = () => reject(r.error); });
  try {
    const dbName = `video-editor-media-${projectId}`;
    if (!(await indexedDB.databases()).some((db) => db.name === dbName)) return true;
    const db = await request(indexedDB.open(dbName));
    try {
      if (!db.objectStoreNames.contains("media-metadata")) return true;
      const records = await request(db.transaction("media-metadata").objectStore("media-metadata").getAll());
      return records.filter((record) => record.name === name).length <= most;
    } finally { db.close(); }
  } catch (error) { return true; }
}"""


def waitable(script: str) -> str:
    """`script`, an async page function, made pollable: Playwright's wait_for_function takes a promise for a
    truthy answer at once, so each poll starts a run (one at a time) and answers with the last that ended."""
    return f"""(arg) => {{
  const run = (window.__e2eWaitable ??= {{ pending: false, answer: false }});
  if (!run.pending) {{
    run.pending = true;
    ({script})(arg).then((answer) => Object.assign(run, {{ pending: false, answer }}),
                         () => Object.assign(run, {{ pending: false }}));
  }}
  return run.answer;
}}"""


def wait_for_storage(page: Page, script: str, arg: Any, timeout: float) -> None:
    """Poll the async storage read `script` until it answers truthy; no answer of an earlier wait counts."""
    page.evaluate("() => { delete window.__e2eWaitable; }")
    page.wait_for_function(waitable(script), arg=arg, polling=100, timeout=timeout)


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


def projects_holding(page: Page, name: str) -> list[str]:
    """The projects whose storage holds a video named `name`, as "name (id)": what a failed wait says."""
    return [f"{p['name']} ({p['id']})" for p in page.evaluate(STORED_BY_PROJECT) if name in p["media"]]


def wait_until_stored(page: Page, project: str, name: str, timeout: float = 30_000) -> None:
    """Wait until the app has stored a video named `name` in `project` (its id or name), whichever project is
    on screen: a run that ends after the user left its view shows nowhere else. Fails saying where it is."""
    try:
        wait_for_storage(page, STORED_IN, [project, name], timeout)
    except PlaywrightTimeoutError:
        held = projects_holding(page, name)
        raise AssertionError(
            f"the video {name!r} should be stored in {project!r}, the project that started it, within "
            f"{timeout / 1000:.0f} s: storage holds it in {held or 'no project'}"
        ) from None


def wait_until_let_go(page: Page, project_id: str, name: str, keep: int = 0, timeout: float = 5_000) -> None:
    """Wait until the project's storage holds at most `keep` records named `name`: the app drops a deleted
    card at once and storage's copy just after, and the user's next step (a reload) comes at a user's pace."""
    try:
        wait_for_storage(page, STORED_AT_MOST, [project_id, name, keep], timeout)
    except PlaywrightTimeoutError:
        held = projects_holding(page, name)
        raise AssertionError(
            f"{name!r} was deleted, but storage still holds it {timeout / 1000:.0f} s on, in {held}"
        ) from None
