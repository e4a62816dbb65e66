// The media view: type filter, search, import, the grid of cards, the empty state, and the hint that
// a new item is hidden by the filters (missing under `no-hidden-hint`).
import { hasBug } from "../config.js";
import { h, replaceChildren } from "../lib/dom.js";
import { probeVideo } from "../lib/media-probe.js";
import { toast } from "../lib/toast.js";
import { MEDIA_FILTERS, filterMediaItems, useMediaPanelStore } from "../stores/media-panel-store.js";
import { useMediaStore } from "../stores/media-store.js";
import { useProjectStore } from "../stores/project-store.js";
import { mediaItemCard } from "./media-item-card.js";

export const EMPTY_STATE_TEXT = "Drag and drop videos, photos, and audio files here";

function mediaTypeOf(file) {
  if (file.type.startsWith("video/")) return "video";
  if (file.type.startsWith("audio/")) return "audio";
  if (file.type.startsWith("image/")) return "image";
  return null;
}

async function importFiles(files) {
  const project = useProjectStore.getState().activeProject;
  if (!project) {
    toast.error("No active project");
    return;
  }
  let added = 0;
  try {
    for (const file of files) {
      const type = mediaTypeOf(file);
      if (!type) continue;
      const metadata = { source: "upload" };
      let info = {};
      if (type === "video") {
        try {
          info = await probeVideo(file);
        } catch (error) {
          // Kept and marked, as a generated video that cannot be decoded.
          Object.assign(metadata, { corrupt: true, playbackError: error.message });
        }
      }
      await useMediaStore.getState().addMediaItem(project.id, {
        name: file.name,
        type,
        file,
        url: URL.createObjectURL(file),
        duration: info.duration,
        width: info.width,
        height: info.height,
        metadata,
      });
      added++;
    }
  } catch (error) {
    console.error("[MediaView] Failed to process files:", error);
    toast.error("Failed to process files");
    return;
  }
  if (added) toast.success(`Successfully uploaded ${added} file(s)`);
  else toast.error("Failed to process files", { description: "No image, video or audio file was chosen." });
}

export function mountMediaView(container) {
  const panel = useMediaPanelStore.getState();
  const filter = h(
    "select",
    {
      id: "media-type-filter",
      onChange: (event) => useMediaPanelStore.getState().setMediaFilter(event.target.value),
    },
    MEDIA_FILTERS.map((option) => h("option", { value: option.value }, option.label)),
  );
  filter.value = panel.mediaFilter;
  const search = h("input", {
    type: "search",
    placeholder: "Search media...",
    "aria-label": "Search media",
    value: panel.searchQuery,
    onInput: (event) => useMediaPanelStore.getState().setSearchQuery(event.target.value),
  });
  const fileInput = h("input", {
    type: "file",
    accept: "image/*,video/*,audio/*",
    multiple: true,
    hidden: true,
    "aria-label": "Upload media files",
    "data-testid": "file-input",
    onChange: async (event) => {
      const files = [...event.target.files];
      event.target.value = "";
      await importFiles(files);
    },
  });
  const importButton = h(
    "button",
    { type: "button", className: "small", "data-testid": "import-media-button", onClick: () => fileInput.click() },
    "+ Import",
  );
  const hintText = h("span");
  const hint = h(
    "div",
    { className: "hidden-hint", role: "status", "data-testid": "hidden-items-hint", hidden: true },
    hintText,
    h(
      "button",
      { type: "button", className: "small", onClick: () => useMediaPanelStore.getState().clearFilters() },
      "Clear filters",
    ),
  );
  const grid = h("div", { className: "media-grid", role: "list", "aria-label": "Media items", "data-testid": "media-grid" });
  const empty = h("div", { className: "empty-state", "data-testid": "empty-media-tooltip" }, EMPTY_STATE_TEXT);
  const loading = h("p", { className: "muted", role: "status" }, "Loading media...");
  const view = h(
    "div",
    { className: "media-view", "data-testid": "media-view" },
    h(
      "div",
      { className: "toolbar" },
      h("label", { for: "media-type-filter", className: "filter-label" }, "Type"),
      filter,
      search,
      importButton,
      fileInput,
    ),
    hint,
    loading,
    grid,
    empty,
  );
  container.append(view);

  const render = () => {
    const { mediaItems, isLoading, recentItemIds } = useMediaStore.getState();
    const { mediaFilter, searchQuery, selectedMediaId } = useMediaPanelStore.getState();
    if (filter.value !== mediaFilter) filter.value = mediaFilter;
    if (search.value !== searchQuery) search.value = searchQuery;
    const projectId = useProjectStore.getState().activeProject?.id;
    const visible = filterMediaItems(mediaItems, mediaFilter, searchQuery);
    const visibleIds = new Set(visible.map((item) => item.id));
    const hiddenNew = recentItemIds.filter(
      (id) => !visibleIds.has(id) && mediaItems.some((item) => item.id === id && !item.ephemeral),
    );
    hint.hidden = hasBug("no-hidden-hint") || hiddenNew.length === 0;
    hintText.textContent =
      hiddenNew.length === 1
        ? "1 new item is hidden by the type filter or search."
        : `${hiddenNew.length} new items are hidden by the type filter or search.`;
    loading.hidden = !isLoading;
    view.dataset.itemCount = String(mediaItems.length);
    view.dataset.visibleCount = String(visible.length);
    empty.hidden = isLoading || visible.length > 0;
    replaceChildren(
      grid,
      visible.map((item) => mediaItemCard(item, { projectId, selected: item.id === selectedMediaId })),
    );
  };
  const unsubscribers = [useMediaStore.subscribe(render), useMediaPanelStore.subscribe(render)];
  render();
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
