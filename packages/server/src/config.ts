/** Everything the server reads from the environment (docs/operations.md lists each variable). */
export interface ServerConfig {
  port: number;
  host: string;
  /** PGlite data folder, used when `databaseUrl` is unset. */
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  /** The origin the demo page is served from, allowed for the `demo` site. */
  publicUrl?: string;
  /**
   * Whose `X-Forwarded-For` to believe for the client address (rate limits, the IP
   * stored with a lead): `false` (default: nobody, the socket address counts), a
   * number of proxy hops, or a comma-separated list of proxy addresses/CIDRs.
   */
  trustProxy: boolean | number | string;
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.THREADLINE_DATA ?? './.threadline-data',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(env.THREADLINE_ADMIN_EMAIL ? { adminEmail: env.THREADLINE_ADMIN_EMAIL } : {}),
    ...(env.THREADLINE_ADMIN_PASSWORD ? { adminPassword: env.THREADLINE_ADMIN_PASSWORD } : {}),
    ...(env.THREADLINE_PUBLIC_URL ? { publicUrl: env.THREADLINE_PUBLIC_URL } : {}),
    trustProxy: parseTrustProxy(env.THREADLINE_TRUST_PROXY),
  };
}
