// Download a generated video and turn it into a File, refusing what is not a whole video over https from a
// FAL media host, with a message a user understands.
import { FAL_MEDIA_HOSTS } from "../config.js";

const VIDEO_TYPES = /^(video\/|application\/octet-stream|binary\/octet-stream)/i;

export function checkVideoUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    console.error(`[AI Generation] Invalid video URL: ${String(url).slice(0, 200)}`);
    throw new Error("FAL returned an invalid video URL");
  }
  if (parsed.protocol !== "https:") {
    console.error(`[AI Generation] Refused video URL: ${url}`);
    throw new Error("Refused to download video from a non-HTTPS URL");
  }
  if (!FAL_MEDIA_HOSTS.includes(parsed.hostname)) {
    console.error(`[AI Generation] Refused video URL: ${url}`);
    throw new Error(`Refused to download video from an unknown host: ${parsed.hostname}`);
  }
  return parsed.href;
}

// `again`: a re-download the user asked for ("Save locally") goes to the network, not the HTTP cache.
export async function downloadVideo(url, { fileName, expectedSize, again = false } = {}) {
  const href = checkVideoUrl(url);
  console.log(`📥 Downloading video from URL: ${href}`);
  let response;
  try {
    response = await fetch(href, again ? { cache: "reload" } : {});
  } catch (error) {
    throw new Error(`Failed to download video: ${error.message}`);
  }
  if (!response.ok) {
    throw new Error(`Failed to download video: ${response.status} ${response.statusText}`.trim());
  }
  const contentType = response.headers.get("content-type") || "";
  if (!VIDEO_TYPES.test(contentType)) {
    throw new Error(`Downloaded file is not a video (content type: ${contentType || "none"})`);
  }
  let blob;
  try {
    blob = await response.blob();
  } catch (error) {
    throw new Error(`Video download was interrupted: ${error.message}`);
  }
  if (blob.size === 0) throw new Error("Downloaded video is empty (0 bytes)");
  const declared = Number(response.headers.get("content-length"));
  const expected = Number(expectedSize) > 0 ? Number(expectedSize) : declared > 0 ? declared : 0;
  if (expected && blob.size < expected) {
    throw new Error(`Downloaded video is truncated: got ${blob.size} of ${expected} bytes`);
  }
  console.log(`✅ Downloaded video blob, size: ${blob.size}`);
  const file = new File([blob], fileName, { type: "video/mp4" });
  console.log(`📄 Created file: ${fileName}`);
  return file;
}
