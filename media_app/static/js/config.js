// What the server rendered into the page: the active profile's bug switches and the preset FAL key.

const root = document.documentElement;

export const PROFILE = root.dataset.profile || "fixed";
export const BUGS = new Set((root.dataset.bugs || "").split(",").filter(Boolean));

export function hasBug(name) {
  return BUGS.has(name);
}

// Each of these switches brings back the original's `src={mediaItem.url}` with a remote FAL URL.
export const REMOTE_PREVIEW = ["remote-preview", "csp-media-src", "coep-require-corp"].some(hasBug);

export const FAL_MEDIA_HOSTS = ["fal.media", "v3.fal.media", "v3b.fal.media"];
export const FAL_RUN_URL = "https://fal.run";
export const FAL_QUEUE_URL = "https://queue.fal.run";
export const QUEUE_POLL_INTERVAL_MS = 500;
export const QUEUE_MAX_ATTEMPTS = 240;
// 5xx or network errors at the status polls of one run that are ridden out, as @fal-ai/client does.
export const QUEUE_TRANSIENT_FAILURES = 3;

const FAL_KEY_STORAGE = "qcut:fal-api-key";

export function presetFalKey() {
  return document.querySelector('meta[name="fal-key"]')?.content || "";
}

// A key saved in Settings wins over the server's preset. localStorage can be blocked with site data,
// so fall back to memory then.
let memoryKey = null;

export function getFalApiKey() {
  if (memoryKey !== null) return memoryKey;
  try {
    const saved = localStorage.getItem(FAL_KEY_STORAGE);
    if (saved !== null) return saved;
  } catch (error) {
    console.warn("[Settings] localStorage unavailable, using the preset FAL key:", error.name);
  }
  return presetFalKey();
}

export function setFalApiKey(key) {
  memoryKey = key;
  try {
    localStorage.setItem(FAL_KEY_STORAGE, key);
    return true;
  } catch (error) {
    console.warn("[Settings] FAL key kept for this page only:", error.name);
    return false;
  }
}
