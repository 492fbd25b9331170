import { at, fail, failType, type Check } from './check';
import { isObject } from './object';
import { codePointLength } from '../code-point-length';

// zod's test for a record: an object whose prototype chain looks like Object's (a Date
// or a class instance is not a record), or one with no prototype.
function isPlainObject(value: unknown): value is Record<PropertyKey, unknown> {
  if (!isObject(value)) return false;
  const constructor = value.constructor;
  if (typeof constructor !== 'function') return true;
  const prototype: unknown = constructor.prototype;
  return isObject(prototype) && Object.prototype.hasOwnProperty.call(prototype, 'isPrototypeOf');
}

/** A record keyed by 1–64-character names (traits, form fields), like zod's `z.record`. */
export function record<V>(item: Check<V>): Check<Record<string, V>> {
  return (value, path) => {
    if (!isPlainObject(value)) failType(path, value, 'an object');
    const parsed: Record<string, V> = {};
    for (const key of Reflect.ownKeys(value)) {
      // zod skips what a plain assignment could not copy safely, and what for…in would not list.
      if (key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(value, key)) continue;
      const length = typeof key === 'string' ? codePointLength(key) : 0;
      if (length < 1 || length > 64) fail(at(path, key), 'is not a valid key: keys are 1–64 characters');
      parsed[key as string] = item(value[key], at(path, key));
    }
    return parsed;
  };
}
