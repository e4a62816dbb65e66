// IndexedDBAdapter (the original's indexeddb-adapter.ts): one object store, keyPath "id", raw DOMExceptions.

export class IndexedDBAdapter {
  constructor(dbName, storeName, version = 1) {
    this.dbName = dbName;
    this.storeName = storeName;
    this.version = version;
  }

  getDB() {
    return new Promise((resolve, reject) => {
      if (!globalThis.indexedDB) {
        reject(new Error("IndexedDB not available"));
        return;
      }
      const request = indexedDB.open(this.dbName, this.version);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new DOMException(`IndexedDB ${this.dbName} is blocked`, "InvalidStateError"));
      request.onsuccess = () => resolve(request.result);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(this.storeName)) {
          db.createObjectStore(this.storeName, { keyPath: "id" });
        }
      };
    });
  }

  async run(mode, operate) {
    const db = await this.getDB();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction([this.storeName], mode);
        const request = operate(transaction.objectStore(this.storeName));
        let result;
        request.onsuccess = () => {
          result = request.result;
        };
        request.onerror = () => reject(request.error);
        // Resolve on commit: a quota failure can surface only when the transaction commits.
        transaction.oncomplete = () => resolve(result);
        transaction.onabort = () => reject(transaction.error || request.error);
        transaction.onerror = () => reject(transaction.error || request.error);
      });
    } finally {
      db.close();
    }
  }

  async get(key) {
    return (await this.run("readonly", (store) => store.get(key))) || null;
  }

  async set(key, value) {
    await this.run("readwrite", (store) => store.put({ id: key, ...value }));
  }

  async remove(key) {
    await this.run("readwrite", (store) => store.delete(key));
  }

  async list() {
    return this.run("readonly", (store) => store.getAllKeys());
  }

  async getAll() {
    return this.run("readonly", (store) => store.getAll());
  }

  async clear() {
    await this.run("readwrite", (store) => store.clear());
  }
}
