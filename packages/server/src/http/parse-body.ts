import { validate } from '@threadline/core';
import type { core } from 'zod/mini';
import { ThreadlineServerError } from '../errors';

/** Validates a request body (or query) with a shared core schema; a failure is a 400 naming the field. */
export function parseWith<S extends core.$ZodType>(schema: S, input: unknown): core.output<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ThreadlineServerError(400, 'invalid_input', 'the body must be a JSON object');
  const result = validate(schema, input);
  if (!result.ok) throw new ThreadlineServerError(400, 'invalid_input', result.error.message, result.error.field);
  return result.value;
}
