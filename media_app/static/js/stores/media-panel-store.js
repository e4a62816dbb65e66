// The media panel's UI state: active tab, type filter, search, the item chosen for preview.
import { createStore } from "../lib/create-store.js";

export const MEDIA_FILTERS = [
  { value: "all", label: "All" },
  { value: "video", label: "Video" },
  { value: "audio", label: "Audio" },
  { value: "image", label: "Image" },
];

export const useMediaPanelStore = createStore((set) => ({
  activeTab: "media",
  mediaFilter: "all",
  searchQuery: "",
  selectedMediaId: null,
  setActiveTab: (activeTab) => set({ activeTab }),
  setMediaFilter: (mediaFilter) => set({ mediaFilter }),
  setSearchQuery: (searchQuery) => set({ searchQuery }),
  clearFilters: () => set({ mediaFilter: "all", searchQuery: "" }),
  selectMedia: (selectedMediaId) => set({ selectedMediaId }),
}));

// The original media view's filter: not ephemeral, the type, and a case-insensitive name match.
export function filterMediaItems(items, mediaFilter, searchQuery) {
  const query = searchQuery.trim().toLowerCase();
  return items.filter(
    (item) =>
      !item.ephemeral &&
      (mediaFilter === "all" || item.type === mediaFilter) &&
      (!query || item.name.toLowerCase().includes(query)),
  );
}
