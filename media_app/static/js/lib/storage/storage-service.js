// storageService (the original's storage-service.ts): projects in IndexedDB, and per project the media
// files in OPFS `media-files-<projectId>` and their metadata in IndexedDB `video-editor-media-<projectId>`.
import { IndexedDBAdapter } from "./indexeddb-adapter.js";
import { OPFSAdapter } from "./opfs-adapter.js";
import { isStorageBlockedError } from "./storage-errors.js";
import { urlOnlyFallback } from "./url-only-fallback.js";

const config = { projectsDb: "video-editor-projects", mediaDb: "video-editor-media", version: 1 };

const isPersistableUrl = (url) => typeof url === "string" && url !== "" && !url.startsWith("blob:");

class StorageService {
  constructor() {
    this.projectsAdapter = new IndexedDBAdapter(config.projectsDb, "projects", config.version);
    this.mediaAdapters = new Map();
  }

  getProjectMediaAdapters(projectId) {
    let adapters = this.mediaAdapters.get(projectId);
    if (!adapters) {
      adapters = {
        mediaMetadataAdapter: new IndexedDBAdapter(`${config.mediaDb}-${projectId}`, "media-metadata", config.version),
        mediaFilesAdapter: new OPFSAdapter(`media-files-${projectId}`),
      };
      this.mediaAdapters.set(projectId, adapters);
    }
    return adapters;
  }

  metadataRecord(item) {
    return {
      id: item.id,
      name: item.name,
      type: item.type,
      size: item.file?.size ?? 0,
      lastModified: item.file?.lastModified ?? Date.now(),
      width: item.width,
      height: item.height,
      duration: item.duration,
      addedAt: item.addedAt,
      // Only non-blob URLs survive a reload, so a remote FAL URL is persisted.
      url: isPersistableUrl(item.url) ? item.url : undefined,
      originalUrl: isPersistableUrl(item.originalUrl) ? item.originalUrl : undefined,
      metadata: item.metadata,
    };
  }

  // OPFS first, then metadata; if OPFS throws, no metadata is written (as the original).
  async saveMediaItem(projectId, item) {
    const { mediaMetadataAdapter, mediaFilesAdapter } = this.getProjectMediaAdapters(projectId);
    if (item.file && item.file.size > 0) {
      await mediaFilesAdapter.set(item.id, item.file);
    }
    await mediaMetadataAdapter.set(item.id, this.metadataRecord(item));
    urlOnlyFallback.remove(projectId, item.id);
  }

  // A URL-only item: metadata only, in IndexedDB, else in localStorage. Returns where it went.
  async saveUrlOnlyMediaItem(projectId, item) {
    const record = this.metadataRecord(item);
    try {
      await this.getProjectMediaAdapters(projectId).mediaMetadataAdapter.set(item.id, record);
      return "indexeddb";
    } catch (error) {
      console.warn("[StorageService] URL-only metadata not in IndexedDB, trying localStorage:", error.name);
      urlOnlyFallback.set(projectId, { id: item.id, ...record });
      return "localStorage";
    }
  }

  async loadMediaFile(projectId, id) {
    try {
      return await this.getProjectMediaAdapters(projectId).mediaFilesAdapter.get(id);
    } catch (error) {
      if (!isStorageBlockedError(error)) throw error;
      console.warn(`[StorageService] OPFS unavailable for ${id}:`, error.name, error.message);
      return null;
    }
  }

  itemFromRecord(record, file) {
    const remote = isPersistableUrl(record.originalUrl) ? record.originalUrl : record.url;
    const item = {
      id: record.id,
      name: record.name,
      type: record.type,
      width: record.width,
      height: record.height,
      duration: record.duration,
      addedAt: record.addedAt,
      originalUrl: isPersistableUrl(remote) ? remote : undefined,
      metadata: record.metadata ? { ...record.metadata } : {},
    };
    if (file && file.size > 0) {
      item.file = new File([file], file.name || record.name, { type: file.type || "video/mp4" });
      item.url = URL.createObjectURL(item.file);
    } else if (isPersistableUrl(remote)) {
      item.file = new File([], record.name, { type: record.type === "video" ? "video/mp4" : "" });
      item.url = remote;
    } else {
      return null;
    }
    return item;
  }

  async loadMediaItem(projectId, id) {
    const record = await this.getProjectMediaAdapters(projectId).mediaMetadataAdapter.get(id);
    if (!record) return null;
    return this.itemFromRecord(record, await this.loadMediaFile(projectId, id));
  }

  // Metadata from IndexedDB plus URL-only records kept in localStorage. An IndexedDB failure is rethrown
  // only when there is nothing else to show.
  async loadAllMediaItems(projectId) {
    const items = [];
    let failure = null;
    try {
      const records = await this.getProjectMediaAdapters(projectId).mediaMetadataAdapter.getAll();
      for (const record of records) {
        const item = this.itemFromRecord(record, await this.loadMediaFile(projectId, record.id));
        if (item) items.push(item);
      }
    } catch (error) {
      failure = error;
    }
    const known = new Set(items.map((item) => item.id));
    for (const record of urlOnlyFallback.list(projectId)) {
      if (known.has(record.id)) continue;
      const item = this.itemFromRecord(record, null);
      if (item) items.push(item);
    }
    items.sort((a, b) => (a.addedAt ?? 0) - (b.addedAt ?? 0));
    if (failure && items.length === 0) throw failure;
    if (failure) console.warn("[StorageService] IndexedDB unavailable; showing URL-only items only:", failure.name);
    return items;
  }

  // The record first: it is what lists the item after a reload, so a file storage cannot reach (OPFS
  // blocked, where a URL-only item keeps none) never brings a deleted item back.
  async deleteMediaItem(projectId, id) {
    const { mediaMetadataAdapter, mediaFilesAdapter } = this.getProjectMediaAdapters(projectId);
    urlOnlyFallback.remove(projectId, id);
    await mediaMetadataAdapter.remove(id);
    try {
      await mediaFilesAdapter.remove(id);
    } catch (error) {
      if (!isStorageBlockedError(error)) throw error;
      console.warn(`[StorageService] OPFS unavailable, no file of ${id} to remove:`, error.name);
    }
  }

  async saveProject(project) {
    await this.projectsAdapter.set(project.id, project);
  }

  async loadProject(id) {
    return this.projectsAdapter.get(id);
  }

  async loadAllProjects() {
    const projects = await this.projectsAdapter.getAll();
    return projects.sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)));
  }

  async deleteProject(id) {
    await this.projectsAdapter.remove(id);
  }

  // A deleted project's media goes with it, as the original's deleteProjectMedia: the metadata first (what
  // lists an item), then the files, then any URL-only record.
  async deleteProjectMedia(projectId) {
    const { mediaMetadataAdapter, mediaFilesAdapter } = this.getProjectMediaAdapters(projectId);
    await mediaMetadataAdapter.clear();
    for (const key of await mediaFilesAdapter.list()) await mediaFilesAdapter.remove(key);
    for (const record of urlOnlyFallback.list(projectId)) urlOnlyFallback.remove(projectId, record.id);
  }

  isOPFSSupported() {
    return OPFSAdapter.isSupported();
  }
}

export const storageService = new StorageService();
