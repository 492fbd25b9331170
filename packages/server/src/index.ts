// Public surface of @threadline/server.
export { createThreadlineServer } from './app';
export type { ThreadlineServer, ThreadlineServerOptions } from './app';
export { configFromEnv } from './config';
export type { ServerConfig } from './config';
export { openDatabase } from './db/open-database';
export type { Database, Queryable } from './db/database';
export { seedDemo } from './seed';
export { identityHash } from './domain/identity-verification';
export { ThreadlineServerError } from './errors';
export { createSocketLayer } from './realtime/socket-layer';
export type { SocketLayer, SocketLayerOptions } from './realtime/socket-layer';
export type { RealtimePublisher } from './realtime/publisher';
export type { AgentClientEvents, AgentServerEvents, AgentSocketAuth, VisitorActivity } from './realtime/agent-events';
export { ensureAgent } from './domain/agents';
export type { Agent } from './domain/agents';
export { findSite, upsertSite } from './domain/sites';
export type { Site } from './domain/sites';
