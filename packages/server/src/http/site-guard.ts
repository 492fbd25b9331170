import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/database';
import { ThreadlineServerError } from '../errors';
import { findSite, type Site } from '../domain/sites';

/**
 * The site a browser request is for, checked against its allowed origins. A
 * request from a foreign origin is refused before anything is stored; an
 * allowed one gets the CORS headers that let the browser read the answer.
 * Requests without an Origin header (curl, server-to-server, sendBeacon from a
 * same-origin page) are accepted.
 */
export async function siteForBrowser(db: Queryable, request: FastifyRequest, reply: FastifyReply, siteId: unknown): Promise<Site> {
  if (typeof siteId !== 'string' || siteId === '') throw new ThreadlineServerError(400, 'invalid_input', 'site is required', 'site');
  const site = await findSite(db, siteId);
  if (!site) throw new ThreadlineServerError(404, 'unknown_site', `no site "${siteId}"`, 'site');
  const origin = request.headers.origin;
  if (origin && !site.allowedOrigins.includes(origin) && !site.allowedOrigins.includes('*')) {
    throw new ThreadlineServerError(403, 'forbidden_origin', `${origin} is not an allowed origin of site "${siteId}"`);
  }
  if (origin) allowOrigin(reply, origin);
  return site;
}

/**
 * Lets a browser script read this answer: its body, and Retry-After, which a
 * cross-origin script cannot see unless it is exposed (the SDK's backoff needs it).
 */
export function allowOrigin(reply: FastifyReply, origin: string): void {
  reply.header('Access-Control-Allow-Origin', origin);
  reply.header('Access-Control-Expose-Headers', 'Retry-After');
  reply.header('Vary', 'Origin');
}
