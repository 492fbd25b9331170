// Checks a `threadline(...)` call. It runs in the app chunk, when the call is replayed
// or made: the loader queues calls unchecked, as the 2 KB budget leaves no room.

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;

const CHECKS: Record<string, (args: readonly unknown[]) => string | false> = {
  open: ([widget]) => widget !== undefined && !['chat', 'callback', 'form'].includes(widget as string) && "expects 'chat', 'callback' or 'form'",
  identify: ([person]) => !isObject(person) && 'expects a person object',
  on: ([event, listener]) => (typeof event !== 'string' || typeof listener !== 'function') && 'expects an event name and a function',
  consent: ([granted]) => typeof granted !== 'boolean' && 'expects true or false',
  config: ([options]) => !isObject(options) && 'expects an object',
  close: () => false,
};

/** Why the call is invalid, or false when it may be run. (`destroy` never gets here: the loader runs it.) */
export const commandProblem = (name: unknown, args: readonly unknown[]): string | false => (CHECKS[name as string] ?? (() => 'unknown command'))(args);
