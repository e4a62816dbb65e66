// Where a URL-only item's metadata goes when IndexedDB is blocked but localStorage still works, so it
// survives a reload wherever any storage works.

const keyFor = (projectId) => `video-editor-url-only-media-${projectId}`;

function readAll(projectId) {
  const raw = localStorage.getItem(keyFor(projectId));
  return raw ? JSON.parse(raw) : {};
}

export const urlOnlyFallback = {
  set(projectId, record) {
    const all = readAll(projectId);
    all[record.id] = record;
    localStorage.setItem(keyFor(projectId), JSON.stringify(all));
  },

  list(projectId) {
    try {
      return Object.values(readAll(projectId));
    } catch (error) {
      console.warn("[StorageService] URL-only fallback unreadable:", error.name, error.message);
      return [];
    }
  },

  remove(projectId, id) {
    try {
      const all = readAll(projectId);
      if (!(id in all)) return;
      delete all[id];
      localStorage.setItem(keyFor(projectId), JSON.stringify(all));
    } catch (error) {
      console.warn("[StorageService] URL-only fallback not cleaned:", error.name, error.message);
    }
  },
};
