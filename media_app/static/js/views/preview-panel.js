// The preview panel: plays the chosen item (a blob: URL in the fixed app; see lib/media-source.js) and says
// when it cannot, logging what the original's VideoPlayer logged.
import { hasBug } from "../config.js";
import { h } from "../lib/dom.js";
import { describeMediaError } from "../lib/media-probe.js";
import { getVideoSource } from "../lib/media-source.js";
import { useMediaPanelStore } from "../stores/media-panel-store.js";
import { useMediaStore } from "../stores/media-store.js";

export function mountPreviewPanel(container) {
  const title = h("p", { className: "preview-title", "data-testid": "preview-title" }, "Select a media item to preview");
  const video = h("video", {
    className: "object-contain",
    preload: "auto",
    playsinline: true,
    muted: true,
    autoplay: true,
    "aria-label": "Preview video",
    "data-testid": "preview-video",
    hidden: true,
  });
  video.muted = true;
  const image = h("img", { className: "object-contain", alt: "", hidden: true });
  const errorBox = h("div", { className: "preview-error", role: "alert", "data-testid": "preview-error", hidden: true });
  const play = h(
    "button",
    { type: "button", "data-testid": "preview-play-button", "aria-label": "Play", onClick: () => video.play() },
    "▶",
  );
  const pause = h(
    "button",
    { type: "button", "data-testid": "preview-pause-button", "aria-label": "Pause", hidden: true, onClick: () => video.pause() },
    "❚❚",
  );
  const panel = h(
    "section",
    { className: "preview-panel", "data-testid": "preview-panel", "aria-label": "Preview", dataset: { previewState: "empty" } },
    h("h2", {}, "Preview"),
    title,
    h("div", { className: "stage" }, video, image),
    errorBox,
    h("div", { className: "controls" }, play, pause),
  );
  container.append(panel);

  let current = { id: null, src: null };
  const setState = (state) => {
    panel.dataset.previewState = state;
  };
  const showError = (message) => {
    errorBox.hidden = false;
    errorBox.textContent = `This video can't be played: ${message}`;
    setState("error");
  };

  video.addEventListener("loadeddata", () => setState(video.paused ? "ready" : "playing"));
  video.addEventListener("playing", () => {
    setState("playing");
    play.hidden = true;
    pause.hidden = false;
  });
  video.addEventListener("pause", () => {
    if (panel.dataset.previewState !== "error") setState(video.ended ? "ended" : "paused");
    play.hidden = false;
    pause.hidden = true;
  });
  video.addEventListener("error", () => {
    const src = video.currentSrc || video.getAttribute("src") || "";
    if (!src || !current.id) return;
    const message = describeMediaError(video.error);
    console.error(`[VideoPlayer] Video error: ${message} src: ${src}`);
    if (src.includes("fal.media")) {
      console.error("🚨 CSP FIX NEEDED: FAL.ai video blocked by Content Security Policy");
      console.error("   - Add https://fal.media https://v3.fal.media https://v3b.fal.media to media-src CSP directive");
    }
    showError(message);
    useMediaStore.getState().markPlaybackError(current.id, message);
  });

  const render = () => {
    const { selectedMediaId } = useMediaPanelStore.getState();
    const item = useMediaStore.getState().mediaItems.find((media) => media.id === selectedMediaId) || null;
    const source = getVideoSource(item);
    if (current.id === item?.id && current.src === source?.src) return;
    current = { id: item?.id ?? null, src: source?.src ?? null };
    // `sticky-preview-error` keeps the last item's "can't be played" box over the next one's picture.
    if (!hasBug("sticky-preview-error")) errorBox.hidden = true;
    panel.dataset.mediaId = item?.id ?? "";
    panel.dataset.sourceKind = source?.kind ?? "";
    title.textContent = item ? item.name : "Select a media item to preview";
    if (!item || !source) {
      video.hidden = image.hidden = true;
      video.removeAttribute("src");
      video.load();
      setState("empty");
      return;
    }
    if (item.type === "image") {
      video.hidden = true;
      image.hidden = false;
      image.src = source.src;
      image.alt = item.name;
      setState("ready");
      return;
    }
    image.hidden = true;
    video.hidden = false;
    setState("loading");
    if (item.metadata?.corrupt) showError(item.metadata.playbackError);
    video.src = source.src;
  };
  const unsubscribers = [useMediaStore.subscribe(render), useMediaPanelStore.subscribe(render)];
  render();
  return () => {
    unsubscribers.forEach((unsubscribe) => unsubscribe());
    video.removeAttribute("src");
    video.load();
  };
}
