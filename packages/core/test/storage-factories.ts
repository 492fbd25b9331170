// The browser store factories, for tests that assemble their own storage chain.
export { createCookieStore } from '../src/internal/storage/cookie-store.ts';
export { createLocalStorageStore } from '../src/internal/storage/local-storage-store.ts';
