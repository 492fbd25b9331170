import { at, failType, type Check } from './check';

/** A non-null, non-array object, as zod's `z.object` requires. */
export const isObject = (value: unknown): value is Record<PropertyKey, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** May be left out (or be undefined), like zod's `z.optional`. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  const optionalCheck: Check<T | undefined> = (value, path) => (value === undefined ? undefined : check(value, path));
  optionalCheck.optional = true;
  return optionalCheck;
}

/**
 * An object check like zod's `z.object`: each key of `shape` in order, unknown keys
 * dropped, an optional key kept (as undefined) only when present; then `refine`,
 * which zod runs only when every key passed.
 */
export function object<T>(shape: { [K in keyof T]-?: Check<T[K]> }, refine?: (parsed: T, path: string) => void): Check<T> {
  return (value, path) => {
    if (!isObject(value)) failType(path, value, 'an object');
    const parsed: Record<string, unknown> = {};
    for (const key in shape) {
      const check = shape[key] as Check<unknown>;
      const field = value[key];
      if (field === undefined && check.optional) {
        if (key in value) parsed[key] = undefined;
      } else {
        parsed[key] = check(field, at(path, key));
      }
    }
    refine?.(parsed as T, path);
    return parsed as T;
  };
}
