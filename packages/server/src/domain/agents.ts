import { createHash } from 'node:crypto';
import type { Queryable } from '../db/database';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { newId } from './ids';
import { normalizeEmail } from './normalize';

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}

export async function findAgentByEmail(db: Queryable, email: string): Promise<(Agent & { passwordHash: string }) | undefined> {
  const row = (
    await db.query<{ id: string; email: string; name: string; role: Agent['role']; password_hash: string }>('select id, email, name, role, password_hash from agents where email = $1', [
      normalizeEmail(email) ?? email,
    ])
  ).rows[0];
  return row && { id: row.id, email: row.email, name: row.name, role: row.role, passwordHash: row.password_hash };
}

export async function findAgent(db: Queryable, id: string): Promise<Agent | undefined> {
  return (await db.query<Agent>('select id, email, name, role from agents where id = $1', [id])).rows[0];
}

/** A short, one-way fingerprint of the agent's password hash: tokens carry it, so a new password ends old sessions. */
export async function credentialFingerprint(db: Queryable, agentId: string): Promise<string | undefined> {
  const row = (await db.query<{ password_hash: string }>('select password_hash from agents where id = $1', [agentId])).rows[0];
  return row && createHash('sha256').update(row.password_hash).digest('base64url').slice(0, 16);
}

/** Creates the agent; an existing one keeps its password unless `resetPassword` (an operator set it explicitly). */
export async function ensureAgent(db: Queryable, agent: { email: string; name: string; password: string; role: Agent['role']; resetPassword?: boolean }): Promise<{ created: boolean }> {
  const email = normalizeEmail(agent.email);
  if (!email) throw new Error(`"${agent.email}" is not an e-mail address`);
  const existing = await findAgentByEmail(db, email);
  if (existing) {
    if (agent.resetPassword && !(await verifyPassword(agent.password, existing.passwordHash))) {
      await db.query('update agents set password_hash = $2 where id = $1', [existing.id, await hashPassword(agent.password)]);
    }
    return { created: false };
  }
  await db.query('insert into agents (id, email, name, password_hash, role) values ($1, $2, $3, $4, $5) on conflict (email) do nothing', [
    newId(),
    email,
    agent.name,
    await hashPassword(agent.password),
    agent.role,
  ]);
  return { created: true };
}
