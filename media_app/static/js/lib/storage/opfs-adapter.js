// OPFSAdapter (the original's opfs-adapter.ts): one directory per project, files named by media id.
// No try/catch in set(): SecurityError, NotAllowedError, QuotaExceededError and TypeError reach the caller.

export class OPFSAdapter {
  constructor(directoryName) {
    this.directoryName = directoryName;
  }

  static isSupported() {
    return "storage" in navigator && "getDirectory" in navigator.storage;
  }

  async getDirectory() {
    const root = await navigator.storage.getDirectory();
    return root.getDirectoryHandle(this.directoryName, { create: true });
  }

  async get(key) {
    try {
      const directory = await this.getDirectory();
      const handle = await directory.getFileHandle(key);
      return await handle.getFile();
    } catch (error) {
      if (error.name === "NotFoundError") return null;
      throw error;
    }
  }

  async set(key, file) {
    const directory = await this.getDirectory();
    const handle = await directory.getFileHandle(key, { create: true });
    const writable = await handle.createWritable();
    try {
      await writable.write(file);
      await writable.close();
    } catch (error) {
      await writable.abort().catch(() => {});
      throw error;
    }
  }

  async remove(key) {
    try {
      const directory = await this.getDirectory();
      await directory.removeEntry(key);
    } catch (error) {
      if (error.name !== "NotFoundError") throw error;
    }
  }

  async list() {
    const directory = await this.getDirectory();
    const keys = [];
    for await (const name of directory.keys()) keys.push(name);
    return keys;
  }
}
