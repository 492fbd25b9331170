import { afterEach, expect, test, vi } from 'vitest';
import { reconnectDelay } from '../src/internal/wire/reconnect-delay.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

test('waits 1 s before the first reconnect attempt, doubling up to 5 s, like socket.io-client', () => {
  vi.spyOn(Math, 'random').mockReturnValue(0.5);

  expect([0, 1, 2, 3, 10, 100].map((attempt) => reconnectDelay(attempt))).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
});

test('spreads each delay by up to half of it, so that browsers cut off together do not all come back at once', () => {
  vi.spyOn(Math, 'random').mockReturnValueOnce(0).mockReturnValueOnce(0.999).mockReturnValueOnce(0);

  expect(reconnectDelay(0)).toBe(500);
  expect(reconnectDelay(0)).toBe(1499);
  expect(reconnectDelay(3)).toBe(4000);
});
