import type { core } from 'zod/mini';
import { ThreadlineError } from './errors';
import { describeIssue } from './internal/describe-issue';

/** The outcome of a check: the parsed value, or the first problem found. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; error: ThreadlineError };

/** Dotted path of an issue (`preferredTime.from`, `fields.size`). */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((key) => String(key)).join('.');
}

/**
 * Validates `input` against a Threadline schema and names the first bad field.
 * Used at every boundary: SDK calls, HTTP bodies, socket payloads, webhooks.
 * @example
 * const result = validate(LeadSchema, body);
 * if (!result.ok) reply.code(400).send({ error: result.error });
 */
export function validate<S extends core.$ZodType>(schema: S, input: unknown, prefix?: string): ValidationResult<core.output<S>> {
  const result = (schema as unknown as { safeParse(input: unknown): { success: boolean; data?: unknown; error?: { issues: core.$ZodIssue[] } } }).safeParse(input);
  if (result.success) return { ok: true, value: result.data as core.output<S> };
  const issue = result.error!.issues[0]!;
  const innermost = issue.code === 'invalid_union' ? (innermostUnionIssue(issue) ?? issue) : issue;
  const path = [...(prefix ? [prefix] : []), ...issue.path, ...(innermost === issue ? [] : innermost.path)];
  const field = issuePath(path);
  const reason = describeIssue(innermost);
  return {
    ok: false,
    error: new ThreadlineError('invalid_input', field ? `${field} ${reason}` : `input ${reason}`, field ? { field } : {}),
  };
}

// For a discriminated union that failed inside one branch, that branch's issue is
// more useful than "does not match any allowed form".
function innermostUnionIssue(issue: core.$ZodIssue): core.$ZodIssue | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  const branches = issue.errors.filter((branch) => branch.length > 0);
  if (branches.length !== 1) return undefined;
  return branches[0]![0];
}
