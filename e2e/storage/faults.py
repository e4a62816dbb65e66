"""Storage faults in a real Chromium, each saying whether it is a real browser condition or a script patch.

Real conditions (preferred):
- `QuotaOverride`: DevTools `Storage.overrideQuotaForOrigin` at 1 byte. Every IndexedDB put and OPFS write
  then fails with a real QuotaExceededError; `restore()` lifts it (a transient failure that recovers).
  (0 bytes behaves like a reset, hence 1.) The page's `navigator.storage.estimate()` does not show it.
- `launch_blocked_storage_context`: a persistent profile whose preferences block site data, as a user's
  browser setting does. OPFS then throws SecurityError and `indexedDB.open` fails with UnknownError.

Script patches (a last resort: no browser setting blocks one storage API alone):
- `OPFS_BLOCKED_PATCH`: `navigator.storage.getDirectory` rejects with SecurityError, as on a file:// page.
- `INDEXEDDB_BLOCKED_PATCH`: opening the media databases fails with UnknownError, as in a profile that
  denies IndexedDB.
`ScriptPatch` arms one mid-test (`apply`) and can lift it again (`lift`), through reloads.

`STORAGE_CONDITIONS` is the one table of them, by the names a scenario's `[environment] storage` uses: real or
patch, when a replay arms it, how, and the e2e fixture that controls it. The fixtures, the scenario loader,
the replay, triage and the tests index it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, BrowserType, CDPSession, Page


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

    def arm(self, page: Page) -> None:
        """Storage fails from now on (the quota is filled; `page` is not needed for that)."""
        self.fill()

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


# Each patch registers how to undo itself in `window.__e2eStorageFaults[<name>]`, so a test can let storage
# work again in the page it is on (`ScriptPatch.lift`). Both are idempotent: a page that already has one
# (an init script, then an explicit evaluate) keeps it once.
OPFS_BLOCKED_PATCH = """
// Script patch (not a browser condition): OPFS alone refuses, as on a file:// page.
(() => {
  const faults = (globalThis.__e2eStorageFaults ||= {});
  if (!globalThis.navigator?.storage || faults.opfs) return;
  const storage = navigator.storage;
  storage.getDirectory = () =>
    Promise.reject(new DOMException("Storage directory access is denied.", "SecurityError"));
  faults.opfs = () => { delete storage.getDirectory; delete faults.opfs; };
})();
"""

INDEXEDDB_BLOCKED_PATCH = """
// Script patch (not a browser condition): IndexedDB refuses the media databases (video-editor-media-*),
// as in a profile that denies it; the projects database still opens, so a reload can show what survived.
(() => {
  const faults = (globalThis.__e2eStorageFaults ||= {});
  if (!globalThis.IDBFactory || faults.indexeddb) return;
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name, version) {
    if (!String(name).startsWith("video-editor-media-")) return open.call(this, name, version);
    // A real IDBOpenDBRequest (so instanceof and handlers behave), on a scratch database that is deleted
    // again; the app sees only its error event.
    const scratch = "__e2e_refused__" + crypto.randomUUID();
    const request = open.call(this, scratch);
    Object.defineProperty(request, "error", {
      get: () => new DOMException("The user denied permission to access the database.", "UnknownError"),
    });
    const hide = (event) => event.stopImmediatePropagation();
    request.addEventListener("upgradeneeded", hide, { capture: true });
    request.addEventListener("success", (event) => {
      event.stopImmediatePropagation();
      request.result.close();
      indexedDB.deleteDatabase(scratch);
      request.dispatchEvent(new Event("error"));
    }, { once: true, capture: true });
    return request;
  };
  faults.indexeddb = () => { IDBFactory.prototype.open = open; delete faults.indexeddb; };
})();
"""

LIFT_PATCH = """(name) => {
  const lift = globalThis.__e2eStorageFaults?.[name];
  if (lift) lift();
  return Boolean(lift);
}"""


@dataclass
class ScriptPatch:
    """A storage API made to refuse by a script patch (not a browser condition), armed from `apply()` on.

    It stays through reloads (an init script) until `lift()`.
    """

    name: str  # the key in window.__e2eStorageFaults: "opfs" or "indexeddb"
    script: str
    context: BrowserContext
    real: bool = False
    _armed: Any = None

    def apply(self, page: Page) -> None:
        """Refuse from now on: in the page as it is, and in every document loaded later."""
        self._armed = self.context.add_init_script(self.script)
        page.evaluate(self.script)

    def arm(self, page: Page) -> None:
        """Storage fails from now on (`apply`)."""
        self.apply(page)

    def lift(self, page: Page) -> None:
        """Let the API work again, in this page and after reloads."""
        if self._armed is not None:
            self._armed.close()
            self._armed = None
        if not page.evaluate(LIFT_PATCH, self.name):
            raise AssertionError(f"the {self.name} patch was not active in {page.url}")


def opfs_blocked(context: BrowserContext) -> ScriptPatch:
    """OPFS alone refuses (SecurityError from getDirectory): a script patch."""
    return ScriptPatch("opfs", OPFS_BLOCKED_PATCH, context)


def indexeddb_blocked(context: BrowserContext) -> ScriptPatch:
    """IndexedDB refuses the media databases (UnknownError on open): a script patch."""
    return ScriptPatch("indexeddb", INDEXEDDB_BLOCKED_PATCH, context)


def _quota(page: Page, origin: str) -> QuotaOverride:
    return QuotaOverride(page.context.new_cdp_session(page), origin)


class Armed(StrEnum):
    """When a condition takes effect in a replay; a test arms a quota or a patch when it chooses."""

    NEVER = "never"
    LAUNCH = "at launch"  # a profile preference: only a browser started with it has it
    GENERATION = "at the first generation"  # after the projects exist: creating one writes too


@dataclass(frozen=True)
class StorageCondition:
    """One storage condition: its name, how real it is, when and how it is armed, and what it means."""

    name: str  # as a scenario's [environment] storage says it, and as the reports record it
    real: bool  # a real browser condition, or a script patch
    armed: Armed
    how: str  # what makes it so
    meaning: str  # what the app meets, as the scenario format documents it
    fixture: str | None  # the e2e fixture that yields its control
    make: Callable[[Page, str], QuotaOverride | ScriptPatch] | None = None  # its control: (page, origin)
    symptom: str | None = None  # what a console log's storage error names: quota-full or blocked
    restorable: bool = False  # a restore_storage step lifts it
    recovers: bool = False  # a scenario must lift it (restore_storage): a transient failure

    @property
    def label(self) -> str:
        """How the reports record it: the name, real or script patch, and how."""
        return f"{self.name}: {'real' if self.real else 'script patch'} ({self.how})"


_QUOTA = "DevTools Storage.overrideQuotaForOrigin, 1 byte"
_QUOTA_MEANING = (
    "the origin's quota is 1 byte (a real DevTools quota override): "
    "every OPFS and IndexedDB write fails with QuotaExceededError"
)

STORAGE_CONDITIONS: dict[str, StorageCondition] = {
    condition.name: condition
    for condition in (
        StorageCondition("ok", True, Armed.NEVER, "nothing", "storage works", None),
        StorageCondition(
            "quota-full", True, Armed.GENERATION, _QUOTA, _QUOTA_MEANING, "quota",
            make=_quota, symptom="quota-full", restorable=True,
        ),
        StorageCondition(
            "transient", True, Armed.GENERATION, f"{_QUOTA}, restored",
            "quota full as above until a `restore_storage` step lifts it", "quota",
            make=_quota, symptom="quota-full", restorable=True, recovers=True,
        ),
        StorageCondition(
            "blocked", True, Armed.LAUNCH, "persistent profile with site data blocked",
            "the browser blocks site data (a real profile setting): OPFS and IndexedDB refuse the page",
            "blocked_storage_context", symptom="blocked",
        ),
        StorageCondition(
            "opfs-blocked", False, Armed.GENERATION, "getDirectory rejects with SecurityError",
            "OPFS alone refuses (a script patch: no browser setting blocks it alone)", "opfs_patch",
            make=lambda page, _origin: opfs_blocked(page.context), symptom="blocked",
        ),
        StorageCondition(
            "indexeddb-blocked", False, Armed.GENERATION, "open fails with UnknownError",
            "IndexedDB alone refuses for media (a script patch)", "indexeddb_patch",
            make=lambda page, _origin: indexeddb_blocked(page.context), symptom="blocked",
        ),
    )
}  # fmt: skip
