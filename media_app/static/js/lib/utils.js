// Ids and small formatting helpers, as in the original's lib/utils.ts.

export function generateUUID() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return formatUUID(bytes);
}

function formatUUID(bytes) {
  const hex = Array.from(bytes.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

// SHA-256 of name-size-lastModified-type, shaped like a UUID (the original's generateFileBasedId).
export async function generateFileBasedId(file) {
  const key = `${file.name.toLowerCase()}-${file.size}-${file.lastModified}-${file.type.toLowerCase()}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return formatUUID(new Uint8Array(digest));
}

export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "0:00";
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// The card label's visible text; the full name stays in title and aria-label.
export function truncateName(name) {
  return name.length > 8 ? `${name.slice(0, 16)}...${name.slice(-3)}` : name;
}

export function errorMessage(error) {
  return error instanceof Error || error instanceof DOMException ? error.message : String(error);
}
