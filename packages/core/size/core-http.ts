// What a page pays for the headless client with the HTTP adapter (size budget entry).
export { createClient, createHttpAdapter } from '@threadline/core';
