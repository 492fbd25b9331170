import type { Database } from '../db/database';
import { credentialFingerprint, findAgent, type Agent } from '../domain/agents';
import { signToken, verifyToken } from './signed-tokens';

// Agents stay signed in for a working week; the inbox signs in again after that.
const AGENT_TOKEN_SECONDS = 7 * 24 * 60 * 60;

/** A bearer token for the agent: signed, 7 days, and void once the agent's password changes. */
export async function agentToken(db: Database, secret: string, agent: Agent, now = Date.now()): Promise<string> {
  return signToken(secret, { typ: 'agent', sub: agent.id, pwd: await credentialFingerprint(db, agent.id), exp: Math.floor(now / 1000) + AGENT_TOKEN_SECONDS });
}

/** The agent a bearer token (or socket auth token) belongs to, or undefined. */
export async function agentFromToken(db: Database, secret: string, token: unknown): Promise<Agent | undefined> {
  const payload = verifyToken<{ typ: string; sub: string; pwd?: string }>(secret, token);
  if (payload?.typ !== 'agent' || payload.pwd !== (await credentialFingerprint(db, payload.sub))) return undefined;
  return findAgent(db, payload.sub);
}
