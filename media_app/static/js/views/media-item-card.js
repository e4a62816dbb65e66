// One card of the media grid (the original's DraggableMediaItem): the full name in the label's title and
// aria-label, the visible text truncated; badges and actions for unsaved, URL-only and unplayable items.
import { hasBug } from "../config.js";
import { h } from "../lib/dom.js";
import { formatDuration, truncateName } from "../lib/utils.js";
import { useMediaPanelStore } from "../stores/media-panel-store.js";
import { useMediaStore } from "../stores/media-store.js";

function thumbnail(item) {
  if (item.type === "image" && item.url) return h("img", { src: item.url, alt: item.name, draggable: "false" });
  const label = item.type === "audio" ? "Audio" : "Video";
  return h(
    "span",
    { className: "placeholder" },
    h("span", { className: "icon", "aria-hidden": "true" }, item.type === "audio" ? "♪" : "▶"),
    h("span", {}, label),
    item.duration ? h("span", { className: "duration" }, formatDuration(item.duration)) : null,
  );
}

// A card's button: its click acts on the item only, not on the card (which would select it for preview).
function cardAction(label, act, attributes = {}) {
  const onClick = (event) => {
    event.stopPropagation();
    act();
  };
  return h("button", { type: "button", className: "small", onClick, ...attributes }, label);
}

export function mediaItemCard(item, { projectId, selected }) {
  const metadata = item.metadata || {};
  const badges = [
    metadata.unsaved
      ? h("span", { className: "badge warn", "data-testid": "unsaved-badge", title: metadata.storageError || "" }, "Unsaved")
      : null,
    metadata.urlOnly ? h("span", { className: "badge info", "data-testid": "url-only-badge" }, "URL only") : null,
    metadata.playbackError
      ? h("span", { className: "badge error", "data-testid": "playback-error-badge", title: metadata.playbackError }, "Can't play")
      : null,
  ];
  const store = useMediaStore.getState;
  const actions = [
    metadata.unsaved && !metadata.urlOnly && !hasBug("no-retry")
      ? cardAction("Retry", () => store().retrySaveMediaItem(item.id))
      : null,
    metadata.urlOnly ? cardAction("Save locally", () => store().saveMediaItemLocally(item.id)) : null,
    cardAction("Delete", () => store().removeMediaItem(projectId, item.id), {
      className: "small ghost",
      "aria-label": `Delete ${item.name}`,
    }),
  ];
  return h(
    "div",
    {
      className: `media-item${selected ? " selected" : ""}`,
      role: "listitem",
      "data-testid": "media-item",
      "aria-label": item.name,
      dataset: {
        mediaId: item.id,
        mediaType: item.type,
        unsaved: metadata.unsaved ? "true" : undefined,
        urlOnly: metadata.urlOnly ? "true" : undefined,
        playbackError: metadata.playbackError ? "true" : undefined,
        selected: selected ? "true" : undefined,
      },
      draggable: "true",
      onDragstart: (event) =>
        event.dataTransfer.setData(
          "application/x-media-item",
          JSON.stringify({ id: item.id, type: item.type, name: item.name }),
        ),
      onClick: () => useMediaPanelStore.getState().selectMedia(item.id),
    },
    h(
      "button",
      {
        type: "button",
        className: "thumb",
        "aria-label": `Preview ${item.name}`,
        "aria-pressed": selected ? "true" : "false",
      },
      thumbnail(item),
    ),
    h("span", { className: "media-name", title: item.name, "aria-label": item.name }, truncateName(item.name)),
    h("div", { className: "badges" }, badges),
    h("div", { className: "actions" }, actions),
  );
}
