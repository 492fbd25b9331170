/** The small async storage surface every Threadline store implements. */
export interface KeyValueStore {
  readonly kind: 'indexeddb' | 'localstorage' | 'cookie' | 'memory';
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** Every key this store holds for the site. */
  keys(): Promise<string[]>;
  /** Removes everything this store holds for the site. */
  clear(): Promise<void>;
}
