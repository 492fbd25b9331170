import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database';
import type { Agent } from '../domain/agents';
import { ThreadlineServerError } from '../errors';
import { agentFromToken } from './agent-tokens';

/** Builds the check every agent route starts with: a valid Bearer token, or 401. */
export function createAgentGuard(db: Database, tokenSecret: string): (request: FastifyRequest) => Promise<Agent> {
  return async (request) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const agent = token ? await agentFromToken(db, tokenSecret, token) : undefined;
    if (!agent) throw new ThreadlineServerError(401, 'unauthorized', 'sign in: POST /api/v1/auth/login, then send Authorization: Bearer <token>');
    return agent;
  };
}
