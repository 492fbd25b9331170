// Public surface of @threadline/adapter-socket. Everything not listed here is internal.
export { createSocketAdapter } from './socket-adapter';
export type { SocketAdapterOptions, SocketConnectOptions, SocketConnector, VisitorSocket } from './socket-adapter';
