// useMediaStore (the original's stores/media-store.ts): one flat list for the project on screen; projects
// are kept apart only in storage. The fixed profile keeps an item whose save fails (unsaved, or URL-only when
// storage is blocked); the `rollback` switch brings back the original's filter-out and rethrow.
import { hasBug } from "../config.js";
import { createStore } from "../lib/create-store.js";
import { handleStorageError } from "../lib/error-handler.js";
import { downloadVideo } from "../lib/download.js";
import { storageService } from "../lib/storage/storage-service.js";
import { isStorageBlockedError } from "../lib/storage/storage-errors.js";
import { toast } from "../lib/toast.js";
import { errorMessage, generateFileBasedId, generateUUID } from "../lib/utils.js";

export const UNSAVED_TOAST = "Saved locally, storage failed. Item marked unsaved; retry later.";
export const URL_ONLY_TOAST = "Saved as URL-only; persistent storage blocked. Re-download when storage is available.";

// Items added during this page session, by id, with the project they belong to. The fixed profile merges
// them into a later load of that project, so an item that arrives for a project that is not on screen (or
// while its load is in flight, or whose save failed) is not lost from view.
const sessionItems = new Map();
let loadToken = 0;

function revoke(item) {
  if (item?.url?.startsWith("blob:")) URL.revokeObjectURL(item.url);
}

function withoutFlags(metadata = {}) {
  const { unsaved, storageError, urlOnly, ...rest } = metadata;
  return rest;
}

export const useMediaStore = createStore((set, get) => {
  // The project whose media the list shows: set when its load starts, cleared with the list. The project
  // store opens projects through loadProjectMedia, so the media store never needs to ask it.
  const activeProjectId = () => get().projectId;

  // Apply a change to an item wherever it lives: the on-screen list and the session registry.
  const updateItem = (id, change) => {
    const entry = sessionItems.get(id);
    if (entry) entry.item = change(entry.item);
    set((state) => ({ mediaItems: state.mediaItems.map((media) => (media.id === id ? change(media) : media)) }));
  };

  const findItem = (id) => get().mediaItems.find((media) => media.id === id) ?? sessionItems.get(id)?.item;
  const projectOf = (id) => sessionItems.get(id)?.projectId ?? activeProjectId();

  const keepUnsaved = (projectId, item, error) => {
    console.error("[MediaStore.addMediaItem] Storage save FAILED, keeping item unsaved", {
      projectId,
      id: item.id,
      name: item.name,
      type: item.type,
      error: errorMessage(error),
    });
    const remote = item.originalUrl && !item.originalUrl.startsWith("blob:") ? item.originalUrl : null;
    if (isStorageBlockedError(error) && remote && !hasBug("no-url-only")) {
      // URL-only: the remote URL and an empty placeholder File, so the item stays listed and playable.
      revoke(item);
      updateItem(item.id, (media) => ({
        ...media,
        file: new File([], media.file?.name || `${media.id}.mp4`, { type: media.file?.type || "video/mp4" }),
        url: remote,
        metadata: { ...media.metadata, unsaved: true, urlOnly: true, storageError: errorMessage(error) },
      }));
      storageService
        .saveUrlOnlyMediaItem(projectId, findItem(item.id))
        .then((where) => console.log(`[MediaStore.addMediaItem] URL-only item kept in ${where}`, { id: item.id }))
        .catch((fallbackError) =>
          console.warn("[MediaStore.addMediaItem] URL-only item kept in memory only:", errorMessage(fallbackError)),
        );
      toast.warning(URL_ONLY_TOAST, {
        description: item.name,
        action: { label: "Save locally", onClick: () => get().saveMediaItemLocally(item.id) },
      });
      return;
    }
    updateItem(item.id, (media) => ({
      ...media,
      metadata: { ...media.metadata, unsaved: true, storageError: errorMessage(error) },
    }));
    toast.warning(UNSAVED_TOAST, {
      description: item.name,
      action: hasBug("no-retry") ? undefined : { label: "Retry", onClick: () => get().retrySaveMediaItem(item.id) },
    });
  };

  return {
    mediaItems: [],
    projectId: null,
    isLoading: false,
    hasInitialized: false,
    // Ids of items added on screen during this session, for the hidden-item hint.
    recentItemIds: [],

    addMediaItem: async (projectId, item) => {
      console.log(`[MediaStore.addMediaItem] Called with projectId: ${projectId}, item.name: ${item.name}`);
      let id = item.id;
      if (!id && item.file) {
        try {
          id = await generateFileBasedId(item.file);
        } catch (error) {
          console.warn("[MediaStore.addMediaItem] file-based id failed, using a UUID:", errorMessage(error));
          id = generateUUID();
        }
      } else if (!id) {
        id = generateUUID();
      }
      const newItem = { ...item, id, addedAt: item.addedAt ?? Date.now(), metadata: { ...(item.metadata || {}) } };
      console.log("[MediaStore.addMediaItem] Saving media item", {
        projectId,
        id,
        name: newItem.name,
        type: newItem.type,
        hasFile: Boolean(newItem.file),
        fileSize: newItem.file?.size,
        url: newItem.url,
      });

      // The original appends to whatever list is on screen; the fixed app only when it is this project's.
      const onScreen = hasBug("project-race") || activeProjectId() === projectId;
      if (!hasBug("project-race")) sessionItems.set(id, { projectId, item: newItem });
      if (onScreen) {
        set((state) => ({
          mediaItems: [...state.mediaItems.filter((media) => media.id !== id), newItem],
          recentItemIds: [...state.recentItemIds, id],
        }));
      }

      try {
        await storageService.saveMediaItem(projectId, newItem);
        console.log("[MediaStore.addMediaItem] Saved to storage", {
          projectId,
          id,
          name: newItem.name,
          type: newItem.type,
        });
        return id;
      } catch (error) {
        const context = { projectId, itemId: id, itemType: newItem.type, itemName: newItem.name };
        if (hasBug("rollback")) {
          console.error("[MediaStore.addMediaItem] Storage save FAILED, rolling back local item", {
            projectId,
            id,
            name: newItem.name,
            type: newItem.type,
            error: errorMessage(error),
          });
          handleStorageError(error, "Add media item to storage", { ...context, operation: "saveMediaItem" });
          sessionItems.delete(id);
          set((state) => ({ mediaItems: state.mediaItems.filter((media) => media.id !== id) }));
          throw error;
        }
        keepUnsaved(projectId, newItem, error);
        handleStorageError(error, "Add media item to storage", { ...context, operation: "saveMediaItem" });
        return id;
      }
    },

    retrySaveMediaItem: async (id) => {
      const item = findItem(id);
      if (!item) return false;
      const projectId = projectOf(id);
      const saved = { ...item, metadata: withoutFlags(item.metadata) };
      try {
        await storageService.saveMediaItem(projectId, saved);
      } catch (error) {
        updateItem(id, (media) => ({ ...media, metadata: { ...media.metadata, storageError: errorMessage(error) } }));
        handleStorageError(error, "Retry saving media item", { projectId, itemId: id });
        return false;
      }
      updateItem(id, (media) => ({ ...media, metadata: withoutFlags(media.metadata) }));
      console.log("[MediaStore.retrySaveMediaItem] Saved to storage", { projectId, id });
      toast.success("Saved to storage", { description: item.name });
      return true;
    },

    // A URL-only item: download it again and store it for real once storage works.
    saveMediaItemLocally: async (id) => {
      const item = findItem(id);
      if (!item?.originalUrl) return false;
      const projectId = projectOf(id);
      let file;
      try {
        file = await downloadVideo(item.originalUrl, { fileName: item.file?.name || `${id}.mp4`, again: true });
      } catch (error) {
        toast.error("Could not download the video again", { description: errorMessage(error) });
        return false;
      }
      const stored = { ...item, file, metadata: withoutFlags(item.metadata) };
      try {
        await storageService.saveMediaItem(projectId, stored);
      } catch (error) {
        handleStorageError(error, "Save media item locally", { projectId, itemId: id });
        return false;
      }
      const url = URL.createObjectURL(file);
      updateItem(id, (media) => ({ ...media, file, url, metadata: withoutFlags(media.metadata) }));
      toast.success("Saved locally", { description: item.name });
      return true;
    },

    // An item of this session or on screen, wherever it lives (its project may not be on screen).
    getMediaItem: (id) => findItem(id) ?? null,

    markPlaybackError: (id, message) => {
      const item = findItem(id);
      if (!item || item.metadata?.playbackError === message) return;
      updateItem(id, (media) => ({ ...media, metadata: { ...media.metadata, playbackError: message } }));
    },

    removeMediaItem: async (projectId, id) => {
      const item = findItem(id);
      sessionItems.delete(id);
      set((state) => ({
        mediaItems: state.mediaItems.filter((media) => media.id !== id),
        recentItemIds: state.recentItemIds.filter((recent) => recent !== id),
      }));
      revoke(item);
      try {
        await storageService.deleteMediaItem(projectId, id);
      } catch (error) {
        handleStorageError(error, "Remove media item from storage", { projectId, itemId: id });
      }
    },

    loadProjectMedia: async (projectId) => {
      const token = ++loadToken;
      set({ projectId, isLoading: true });
      let loaded = [];
      try {
        loaded = await storageService.loadAllMediaItems(projectId);
      } catch (error) {
        handleStorageError(error, "Load project media items", { projectId });
      }
      if (token !== loadToken) return;
      let mediaItems = loaded;
      if (!hasBug("project-race")) {
        // Items of this project that this session added and storage does not have (yet): unsaved, URL-only
        // in memory, or still being written when the load read storage.
        const known = new Set(loaded.map((item) => item.id));
        const extra = [...sessionItems.values()]
          .filter((entry) => entry.projectId === projectId && !known.has(entry.item.id))
          .map((entry) => entry.item);
        mediaItems = [...loaded, ...extra];
      }
      set({ mediaItems, isLoading: false, hasInitialized: true });
    },

    clearProjectMedia: async (projectId) => {
      for (const item of get().mediaItems) await get().removeMediaItem(projectId, item.id);
    },

    clearAllMedia: () => {
      loadToken++;
      const keep = new Set([...sessionItems.values()].map((entry) => entry.item.url));
      for (const item of get().mediaItems) if (!keep.has(item.url)) revoke(item);
      set({ mediaItems: [], projectId: null, recentItemIds: [], isLoading: false });
    },

  };
});
