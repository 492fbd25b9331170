// Forgiving readers for parseSiteConfig: each answers the value when it is valid
// (exactly as SiteConfigSchema would parse it) and undefined when it is not, so the
// caller decides between a default, leaving a field out or dropping an item.
import { codePointLength } from '../internal/code-point-length';

/** What a reader makes of a value: the parsed value, or undefined when invalid. */
export type Reader<T> = (value: unknown) => T | undefined;

/** A non-null, non-array object (zod's test for `z.object`). */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One of `values`. */
export const oneOf =
  <T extends string>(...values: T[]): Reader<T> =>
  (value) =>
    values.includes(value as T) ? (value as T) : undefined;

/** A string of `min`–`max` code points, matching `pattern` when given. */
export const textOf =
  (max: number, min = 0, pattern?: RegExp): Reader<string> =>
  (value) =>
    typeof value === 'string' && codePointLength(value) >= min && codePointLength(value) <= max && (!pattern || pattern.test(value)) ? value : undefined;

/** A finite number in [min, max]; a safe integer too when `integer`. */
export const numberIn =
  (min: number, max: number, integer = false): Reader<number> =>
  (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isSafeInteger(value)) ? value : undefined;

/** A boolean. */
export const bool: Reader<boolean> = (value) => (typeof value === 'boolean' ? value : undefined);

/** The valid items of a list, at most `max` of them; undefined when `value` is not a list. */
export function validItems<T>(value: unknown, item: Reader<T>, max: number): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: T[] = [];
  // An index loop: a hole in a sparse list is an invalid item, not a skipped one.
  for (let index = 0; index < value.length && items.length < max; index++) {
    const parsed = item(value[index]);
    if (parsed !== undefined) items.push(parsed);
  }
  return items;
}

/** Every item valid and at most `max` of them (as zod requires), or undefined. */
export function allItems<T>(value: unknown, item: Reader<T>, max: number, min = 0): T[] | undefined {
  const items = validItems(value, item, Infinity);
  return items && items.length === (value as unknown[]).length && items.length >= min && items.length <= max ? items : undefined;
}

/** The value at `key`, or `fallback` when it is missing or invalid. */
export const withDefault = <T>(source: Record<string, unknown>, key: string, read: Reader<T>, fallback: T): T => read(source[key]) ?? fallback;

/**
 * Copies an optional field the way zod does: left out when absent, kept as undefined
 * when present but undefined; and, forgiving, left out when invalid. Answers false
 * when the field was there and invalid, for callers that must not forgive.
 */
export function copyOptional<T>(target: Record<string, unknown>, source: Record<string, unknown>, key: string, read: Reader<T>): boolean {
  if (!(key in source)) return true;
  const value = source[key];
  const parsed = value === undefined ? undefined : read(value);
  if (value !== undefined && parsed === undefined) return false;
  target[key] = parsed;
  return true;
}

/** The string-keyed own entries zod reads from a record (it never copies `__proto__`). */
export const entriesOf = (value: Record<string, unknown>): [string, unknown][] => Object.entries(value).filter(([key]) => key !== '__proto__');
