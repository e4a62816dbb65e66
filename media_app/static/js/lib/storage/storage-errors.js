// Which storage failures mean "persistent storage is blocked here" (URL-only fallback) rather than
// "this write failed" (keep the item, unsaved, and offer Retry).

const BLOCKED_NAMES = new Set(["SecurityError", "NotAllowedError", "UnknownError", "TypeError", "InvalidStateError"]);

export function isStorageBlockedError(error) {
  if (!error) return false;
  if (BLOCKED_NAMES.has(error.name)) return true;
  return /IndexedDB not available|not supported|denied/i.test(error.message || "");
}

export function isQuotaError(error) {
  return error?.name === "QuotaExceededError" || /quota/i.test(error?.message || "");
}
