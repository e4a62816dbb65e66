"""Storage faults in a real Chromium, each saying whether it is a real browser condition or a script patch.

Real conditions (preferred):
- `QuotaOverride`: DevTools `Storage.overrideQuotaForOrigin` at 1 byte. Every IndexedDB put and OPFS write
  then fails with a real QuotaExceededError; `restore()` lifts it (a transient failure that recovers).
  (0 bytes behaves like a reset, hence 1.) The page's `navigator.storage.estimate()` does not show it.
- `launch_blocked_storage_context`: a persistent profile whose preferences block site data, as a user's
  browser setting does. OPFS then throws SecurityError and `indexedDB.open` fails with UnknownError.

Script patches (a last resort: no browser setting blocks one storage API alone):
- `OPFS_BLOCKED_PATCH`: `navigator.storage.getDirectory` rejects with SecurityError, as on a file:// page.
- `INDEXEDDB_BLOCKED_PATCH`: `indexedDB.open` fails with UnknownError, as in a profile that denies it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, BrowserType, CDPSession


@dataclass
class QuotaOverride:
    """A real quota limit on one origin through the DevTools protocol (Chromium only)."""

    cdp: CDPSession
    origin: str
    real: bool = True

    def fill(self, quota_bytes: int = 1) -> None:
        """Make the origin's quota `quota_bytes` (1 by default: every write fails, like a full disk)."""
        self.cdp.send("Storage.overrideQuotaForOrigin", {"origin": self.origin, "quotaSize": quota_bytes})

    def restore(self) -> None:
        """Lift the override: writes succeed again."""
        self.cdp.send("Storage.overrideQuotaForOrigin", {"origin": self.origin})

    def usage(self) -> dict[str, Any]:
        """DevTools' view of the origin's usage and quota (`overrideActive` shows the override)."""
        return self.cdp.send("Storage.getUsageAndQuota", {"origin": self.origin})


# Chromium's content setting for site data ("cookies"): 2 = block, for every site.
BLOCK_SITE_DATA_PREFERENCES = {"profile": {"default_content_setting_values": {"cookies": 2}}}


def launch_blocked_storage_context(
    browser_type: BrowserType, user_data_dir: Path, launch_args: dict[str, Any], **context_args: Any
) -> BrowserContext:
    """A real Chromium profile with site data blocked: OPFS and IndexedDB refuse the page."""
    preferences = user_data_dir / "Default" / "Preferences"
    preferences.parent.mkdir(parents=True, exist_ok=True)
    preferences.write_text(json.dumps(BLOCK_SITE_DATA_PREFERENCES))
    return browser_type.launch_persistent_context(str(user_data_dir), **launch_args, **context_args)


OPFS_BLOCKED_PATCH = """
// Script patch (not a browser condition): OPFS alone refuses, as on a file:// page.
if (navigator.storage) {
  navigator.storage.getDirectory = () => Promise.reject(
    new DOMException("Storage directory access is denied.", "SecurityError"));
}
"""

INDEXEDDB_BLOCKED_PATCH = """
// Script patch (not a browser condition): IndexedDB alone refuses, as in a profile that denies it.
(() => {
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name, version) {
    if (String(name).startsWith("video-editor-media-")) {
      const request = open.call(this, "__e2e_refused__" + Math.random());
      Object.defineProperty(request, "error", {
        get: () => new DOMException("The user denied permission to access the database.", "UnknownError"),
      });
      request.addEventListener("success", (event) => {
        event.stopImmediatePropagation();
        request.result.close();
        request.dispatchEvent(new Event("error"));
      }, { once: true, capture: true });
      return request;
    }
    return open.call(this, name, version);
  };
})();
"""
