"""What the replay evaluates in the app's page: its watch script and the store reads, with their waits.

The driver (`driver.py`) runs these; they read the app's own stores (`useMediaStore`,
`useAIGenerationStore`, `useProjectStore`) and its storage (IndexedDB, OPFS) as the user's data.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import BrowserContext

from e2e.repro.evidence import Toast

BINDING = "__scenarioSaw"
TOAST_COUNT = "__scenarioToasts"

# Reports to Python what the user could have seen: the names in the on-screen media list whenever the store
# changes (a rolled-back item is there for a moment), and every toast as it is added (toasts expire).
WATCH_SCRIPT = f"""
(() => {{
  const report = (kind, data) => {{ try {{ window.{BINDING}(kind, data); }} catch (error) {{}} }};
  let mediaStore;
  let last = "";
  Object.defineProperty(window, "useMediaStore", {{
    configurable: true,
    enumerable: true,
    get: () => mediaStore,
    set: (store) => {{
      mediaStore = store;
      const seen = () => {{
        const names = JSON.stringify(store.getState().mediaItems.map((item) => item.name));
        if (names !== last) {{ last = names; report("items", JSON.parse(names)); }}
      }};
      store.subscribe(seen);
      seen();
    }},
  }});
  new MutationObserver((records) => {{
    for (const record of records) for (const node of record.addedNodes) {{
      if (node.nodeType !== 1 || !node.matches("[data-sonner-toast]")) continue;
      window.{TOAST_COUNT} = (window.{TOAST_COUNT} || 0) + 1;
      report("toast", {{
        kind: node.dataset.type || "",
        title: node.querySelector("[data-title]")?.textContent || "",
        description: node.querySelector("[data-description]")?.textContent || "",
      }});
    }}
  }}).observe(document, {{ childList: true, subtree: true }});
}})();
"""

# Projects are stored as the app stores them, so a scenario can pin the id from the user's log; where the
# projects database is refused (blocked storage) they live in memory, as the app's own fallback does.
SEED_PROJECTS = """async (projects) => {
  const store = window.useProjectStore;
  for (const project of projects) {
    try {
      await window.storageService.saveProject(project);
    } catch (error) {
      const others = (state) => state.projects.filter((p) => p.id !== project.id);
      store.setState((state) => ({ projects: [project, ...others(state)] }));
    }
  }
  await store.getState().loadAllProjects();
}"""

# Is the item really stored? Its metadata in IndexedDB and its bytes in OPFS, read without creating either.
READ_STORED = """async ([projectId, name]) => {
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result);
                                                            r.onerror = () => reject(r.error); });
  try {
    const dbName = `video-editor-media-${projectId}`;
    if (!(await indexedDB.databases()).some((db) => db.name === dbName)) return { metadata: false };
    const db = await request(indexedDB.open(dbName));
    try {
      if (!db.objectStoreNames.contains("media-metadata")) return { metadata: false };
      const records = await request(db.transaction("media-metadata").objectStore("media-metadata").getAll());
      const record = records.find((r) => r.name === name);
      if (!record) return { metadata: false };
      let size = 0;
      try {
        const root = await navigator.storage.getDirectory();
        const dir = await root.getDirectoryHandle(`media-files-${projectId}`);
        size = (await (await dir.getFileHandle(record.id)).getFile()).size;
      } catch (error) { size = 0; }
      return { metadata: true, size, urlOnly: Boolean(record.metadata && record.metadata.urlOnly) };
    } finally { db.close(); }
  } catch (error) { return { metadata: false, error: String(error) }; }
}"""

GENERATION_STATE = (
    "() => { const s = window.useAIGenerationStore.getState(); return [s.startedAt, s.generationState]; }"
)
GENERATION_ENDED = """(before) => { const s = window.useAIGenerationStore.getState();
  return s.startedAt !== before && ["done", "error"].includes(s.generationState); }"""
ACTIVE_PROJECT = (
    "() => { const p = window.useProjectStore.getState().activeProject; return p && [p.id, p.name]; }"
)
# The toasts shown so far, as the watch script counts them (from 0 again after a reload), and their growth.
TOASTS_SO_FAR = f"() => window.{TOAST_COUNT} || 0"
TOASTS_GREW = f"(before) => (window.{TOAST_COUNT} || 0) > before"
RENDERED = "(video) => video.readyState >= 2 && video.videoWidth > 0 && !video.error"
PREVIEW_SETTLED = re.compile(r"^(ready|playing|paused|ended|error)$")

# How long a generation may take end to end; the fake answers at once, so this only bounds a broken run.
GENERATION_TIMEOUT_MS = 60_000
# After the preview fails, how long the browser has to report why (a CSP event or a network failure).
BLOCK_REPORT_TIMEOUT_MS = 3_000


@dataclass
class Witness:
    """What the page reported through the binding: names ever in the on-screen list, and every toast."""

    names_seen: set[str] = field(default_factory=set)
    toasts: list[Toast] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def install(self, context: BrowserContext) -> None:
        context.expose_binding(BINDING, self._saw)
        context.add_init_script(WATCH_SCRIPT)

    def _saw(self, _source: object, kind: str, data: Any) -> None:
        with self._lock:
            if kind == "items":
                self.names_seen.update(data)
            elif kind == "toast":
                self.toasts.append(
                    Toast(data.get("kind", ""), data.get("title", ""), data.get("description", ""))
                )
