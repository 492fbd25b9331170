import type { FastifyError, FastifyInstance } from 'fastify';
import { ThreadlineServerError } from '../errors';

const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'the body is larger than the limit' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'the body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'the body is empty' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'send JSON (application/json or text/plain)' },
};

/**
 * Every failure answers `{ error: { code, field?, message } }` with a precise
 * status; an unexpected one is logged and answered 500 without details, and
 * never takes the process down.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ThreadlineServerError, request, reply) => {
    if (error instanceof ThreadlineServerError) return reply.code(error.status).send({ error: error.toJSON() });
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 429) return reply.code(429).send({ error: { code: 'rate_limited', message: error.message } });
    if (status >= 400 && status < 500) {
      const known = FASTIFY_CODES[(error as FastifyError).code ?? ''];
      return reply.code(status).send({ error: known ?? { code: 'invalid_request', message: error.message } });
    }
    request.log.error(error);
    // Logged whatever the logger setting: an operator must be able to see why a request failed.
    console.error('[threadline] request failed', request.method, request.url.split('?')[0], error);
    return reply.code(500).send({ error: { code: 'server', message: 'something went wrong on the server; try again' } });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }));
}
