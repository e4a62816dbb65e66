"""The bug report's DevTools handles (`useMediaStore`, `useProjectStore`, `storageService`) on a built app.

A production build keeps its zustand stores inside its module chunks. `import()` of a chunk the page has
already loaded returns the very module instance the app uses, so the stores can be put on `window` without
changing the app: the suite's media-store reader and the witnesses then work as on the reference app.
The chunks are found in the DOM (Vite's entry script and the modulepreload links it adds for every lazy
chunk), not in Resource Timing: `page.clock` replaces `performance`.
"""

from __future__ import annotations

from playwright.sync_api import Page

# A store is recognised by its state's own names, not by the minified export name, which changes per build.
BRIDGE = """async () => {
  const chunks = [...document.querySelectorAll("script[src], link[rel=modulepreload]")]
    .map((element) => element.src || element.href)
    .filter((url) => url.startsWith(location.origin + "/assets/") && url.endsWith(".js"));
  const found = {};
  for (const url of chunks) {
    for (const value of Object.values(await import(url))) {
      if (typeof value === "function" && typeof value.getState === "function") {
        const state = value.getState() || {};
        if ("mediaItems" in state && "addMediaItem" in state) found.useMediaStore = value;
        if ("activeProject" in state && "createNewProject" in state) found.useProjectStore = value;
      } else if (value && typeof value === "object" && typeof value.saveMediaItem === "function") {
        found.storageService = value;
      }
    }
  }
  Object.assign(window, found);
  return Object.keys(found).sort();
}"""
HANDLES = ["storageService", "useMediaStore", "useProjectStore"]


def bridge_stores(page: Page) -> None:
    """Put the app's stores on `window` under the names the bug report's quick checks use."""
    found = page.evaluate(BRIDGE)
    missing = sorted(set(HANDLES) - set(found))
    assert not missing, f"the build's loaded chunks should export {missing} (found only {found})"
