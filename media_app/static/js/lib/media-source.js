// What the preview plays (the fix's getVideoSource): a blob: URL of the stored File, which no CSP host list
// or embedder policy can block; the remote FAL URL only for a URL-only item. The remote-preview,
// csp-media-src and coep-require-corp switches bring back the original's remote `src`.
import { REMOTE_PREVIEW } from "../config.js";

const blobUrls = new WeakMap();

function blobUrlFor(file) {
  let url = blobUrls.get(file);
  if (!url) {
    url = URL.createObjectURL(file);
    blobUrls.set(file, url);
  }
  return url;
}

export function getVideoSource(item) {
  if (!item) return null;
  const remote = item.originalUrl || (item.url && !item.url.startsWith("blob:") ? item.url : null);
  if (REMOTE_PREVIEW && remote) return { src: remote, kind: "remote" };
  if (item.url?.startsWith("blob:")) return { src: item.url, kind: "blob" };
  if (item.file && item.file.size > 0) return { src: blobUrlFor(item.file), kind: "blob" };
  if (remote) return { src: remote, kind: "remote" };
  return null;
}
