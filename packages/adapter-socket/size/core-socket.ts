// What a page pays for the headless client with the socket adapter (size budget entry).
export { createClient } from '@threadline/core';
export { createSocketAdapter } from '@threadline/adapter-socket';
