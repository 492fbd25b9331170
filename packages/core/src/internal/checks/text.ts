import { codePointLength } from '../code-point-length';
import { fail, failType, type Check } from './check';

/** A rule a string must keep, with the reason given when it does not. */
export type TextRule = [test: (value: string) => boolean, reason: string];

export interface TextOptions {
  /** Trim white space before measuring (zod's `z.trim()`). */
  trim?: boolean;
  min?: number;
  max: number;
  rules?: TextRule[];
}

/** A string check; trims, then checks length, then each rule, in zod's order. */
export function text({ trim, min = 0, max, rules = [] }: TextOptions): Check<string> {
  return (value, path) => {
    if (typeof value !== 'string') failType(path, value, 'a string');
    const parsed = trim ? value.trim() : value;
    const length = codePointLength(parsed);
    if (length < min) fail(path, min <= 1 ? 'must not be empty' : `must be at least ${min} characters`);
    if (length > max) fail(path, `must be at most ${max} characters`);
    for (const [test, reason] of rules) if (!test(parsed)) fail(path, reason);
    return parsed;
  };
}

/** A rule that the whole string matches `pattern`. */
export const matches = (pattern: RegExp, reason: string): TextRule => [(value) => pattern.test(value), reason];
