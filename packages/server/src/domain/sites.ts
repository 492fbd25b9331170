import type { Queryable } from '../db/database';

export interface Site {
  id: string;
  name: string;
  allowedOrigins: string[];
  secret: string;
  defaultCountry: string | null;
  config: Record<string, unknown>;
  settings: Record<string, unknown>;
}

interface SiteRow {
  id: string;
  name: string;
  allowed_origins: string[];
  secret: string;
  default_country: string | null;
  config: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export async function findSite(db: Queryable, siteId: string): Promise<Site | undefined> {
  const row = (await db.query<SiteRow>('select id, name, allowed_origins, secret, default_country, config, settings from sites where id = $1', [siteId])).rows[0];
  return row && { id: row.id, name: row.name, allowedOrigins: row.allowed_origins, secret: row.secret, defaultCountry: row.default_country, config: row.config, settings: row.settings };
}

/** Creates the site or updates its origins/country, keeping its secret and config. */
export async function upsertSite(db: Queryable, site: { id: string; name: string; allowedOrigins: string[]; secret: string; defaultCountry?: string; config?: Record<string, unknown> }): Promise<void> {
  await db.query(
    `insert into sites (id, name, allowed_origins, secret, default_country, config) values ($1, $2, $3, $4, $5, $6)
     on conflict (id) do update set allowed_origins = excluded.allowed_origins, default_country = coalesce(excluded.default_country, sites.default_country)`,
    [site.id, site.name, site.allowedOrigins, site.secret, site.defaultCountry ?? null, JSON.stringify(site.config ?? {})],
  );
}
