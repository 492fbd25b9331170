// What a page pays for the headless client with the socket adapter, its connector
// left out (its own entry, wire-client.ts, measures it): the adapter's own code,
// eager and lazy, as the embed budget sums the pieces separately.
import type { SocketConnector } from '../src/socket-adapter';
import { createChatAdapter } from '../src/internal/chat-adapter';

export { createClient } from '@threadline/core';
export const createSocketAdapterWithoutConnector = (options: { endpoint: string; connect: SocketConnector }) => createChatAdapter(options, () => Promise.reject(new Error('not measured')));
