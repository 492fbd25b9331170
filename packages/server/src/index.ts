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
