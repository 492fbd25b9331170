import { ThreadlineError } from '../../errors';
import type { ValidationResult } from '../../validation';

// The browser's twins of the zod schemas in ../../schemas. zod/mini with our schemas
// costs ~10 KB gzip, more than the rest of the client; these plain functions do the
// same checks for a fraction of it. The schemas stay the single source of truth (the
// server validates with them); property tests (*.test.ts here) prove that each check
// accepts exactly what its schema accepts, returns the same value and names the same
// field as the schema's first issue.

/** Reads the value found at `path` (dotted, '' at the top) and returns it parsed, or throws the first problem. */
export type Check<T> = ((value: unknown, path: string) => T) & { optional?: true };

/** Stops a check: `field reason`, e.g. "phone must have between 6 and 15 digits". */
export function fail(path: string, reason: string): never {
  throw new ThreadlineError('invalid_input', `${path || 'input'} ${reason}`, path ? { field: path } : {});
}

/** Says that `value` is not the expected type, or that it is missing. */
export function failType(path: string, value: unknown, expected: string): never {
  return fail(path, value === undefined ? 'is required' : `must be ${expected}`);
}

/** The path of `key` inside `path`, joined like zod's issue paths. */
export const at = (path: string, key: PropertyKey): string => (path ? `${path}.${String(key)}` : String(key));

/** Runs a check the way `validate` runs a schema: the value, or the first problem as a ThreadlineError. */
export function runCheck<T>(check: Check<T>, value: unknown, path = ''): ValidationResult<T> {
  try {
    return { ok: true, value: check(value, path) };
  } catch (error) {
    if (error instanceof ThreadlineError) return { ok: false, error };
    throw error;
  }
}
