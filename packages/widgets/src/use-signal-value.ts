import type { ReadonlySignal } from '@preact/signals-core';
import { useLayoutEffect, useReducer, useRef } from 'preact/hooks';

/**
 * The value of `source` now; the component renders again whenever it changes.
 * Core's state is plain signals-core signals; this hook replaces the @preact/signals
 * adapter (1.3 KB gzip in the script tag's download) for the few values a widget shows.
 * Read signals in event handlers and effects with `.value` or `.peek()` as usual.
 * @example
 * const unread = useSignalValue(client.chat.unread);
 */
export function useSignalValue<T>(source: ReadonlySignal<T>): T {
  const value = source.peek();
  const [, rerender] = useReducer<number, void>((count) => count + 1, 0);
  // What this render showed, so that the subscription's first call (right away) renders
  // again only when the signal changed between this render and the commit.
  const shown = useRef(value);
  shown.current = value;
  useLayoutEffect(() => source.subscribe((next) => next !== shown.current && rerender()), [source]);
  return value;
}
