import { randomBytes } from 'node:crypto';
import type { Database } from './db/database';
import { ensureAgent } from './domain/agents';
import { findSite, upsertSite } from './domain/sites';

export interface SeedResult {
  adminEmail: string;
  /** Set only when the password was generated now, so that it can be shown once. */
  generatedPassword?: string;
  adminCreated: boolean;
}

/**
 * The demo site (key `demo`, allowed for `origins`) and the first admin. An
 * admin password that is not given is generated and returned to be printed once.
 */
export async function seedDemo(db: Database, options: { origins: string[]; adminEmail?: string; adminPassword?: string }): Promise<SeedResult> {
  const existing = await findSite(db, 'demo');
  await upsertSite(db, {
    id: 'demo',
    name: 'Demo site',
    allowedOrigins: [...new Set([...(existing?.allowedOrigins ?? []), ...options.origins])],
    secret: existing?.secret ?? randomBytes(32).toString('base64url'),
    defaultCountry: 'UA',
    config: {
      appearance: { greeting: 'Hi! Ask us anything — we usually answer within a few minutes.' },
      businessHours: { timeZone: 'Europe/Kyiv', days: { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }], wed: [{ from: '09:00', to: '18:00' }], thu: [{ from: '09:00', to: '18:00' }], fri: [{ from: '09:00', to: '18:00' }] } },
      callback: { defaultCountry: 'UA', answerWithinSeconds: 30 },
    },
  });
  const adminEmail = options.adminEmail ?? 'admin@threadline.local';
  const generatedPassword = options.adminPassword ? undefined : randomBytes(12).toString('base64url');
  const { created } = await ensureAgent(db, { email: adminEmail, name: 'Admin', password: options.adminPassword ?? generatedPassword!, role: 'admin', resetPassword: options.adminPassword !== undefined });
  return { adminEmail, adminCreated: created, ...(created && generatedPassword ? { generatedPassword } : {}) };
}
