// A fresh, spec-following IndexedDB for every test file (fake-indexeddb implements
// the W3C IndexedDB API in memory), installed on the globals idb-keyval uses.
import 'fake-indexeddb/auto';
