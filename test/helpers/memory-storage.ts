import type { VisitorStorage } from '../../client/src';

/** Web Storage's contract kept in a Map: the client's context helpers take any `Storage`. */
export class MemoryStorage implements VisitorStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}
