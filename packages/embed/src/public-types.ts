import type { IdentifyOptions, Person, WidgetName } from '@threadline/core';
import type { ConfigOverrides } from './internal/config-overrides';

/** Events `threadline('on', name, fn)` accepts: the embed's own, short names, and every client event. */
export type EmbedEventName =
  | 'ready'
  | 'page'
  | 'lead'
  | 'message'
  | 'open'
  | 'close'
  | 'identify'
  | 'reset'
  | 'consent'
  | 'lead:queued'
  | 'lead:sent'
  | 'lead:failed'
  | 'message:queued'
  | 'message:sent'
  | 'message:failed'
  | 'message:new'
  | 'typing'
  | 'read'
  | 'presence'
  | 'session:merged'
  | 'status'
  | 'error';

/** Every call `window.threadline(...)` understands, before and after the script loads. */
export type ThreadlineCommand =
  | [command: 'identify', person: Person, options?: IdentifyOptions]
  | [command: 'open', widget?: WidgetName]
  | [command: 'close']
  | [command: 'on', event: EmbedEventName, listener: (payload: never) => void]
  | [command: 'consent', granted: boolean]
  | [command: 'config', overrides: ConfigOverrides]
  | [command: 'destroy'];

/** `window.threadline`: the stub's queue before the script loads, the live API after. */
export interface ThreadlineGlobal {
  (...call: ThreadlineCommand): void;
  /** Calls queued by the inline stub, replayed in order by the loader. */
  q?: ArrayLike<unknown>[];
  /** Removes every node, listener, timer and history wrapper the tag added (also `threadline('destroy')`). */
  destroy?: () => void;
}
