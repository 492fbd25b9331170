import { expect, test } from 'vitest';
import { newId } from '../src/domain/ids';

test('ids made in the same millisecond sort in the order they were made, and stay valid UUID v7', () => {
  const at = Date.UTC(2026, 10, 23, 12);
  const ids = Array.from({ length: 50 }, () => newId(at));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(50);
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // A later millisecond sorts after them all.
  expect(newId(at + 1) > ids.at(-1)!).toBe(true);
});
