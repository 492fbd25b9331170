import { ThreadlineError } from '../errors';

// A synchronous twin of ClientConfigSchema for the eager bundle: createClient must
// report a bad config at once, before the zod chunk could load. A property test
// (check-client-config.test.ts) proves the two agree.
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const RULES: [field: string, valid: (value: unknown) => boolean, reason: string][] = [
  ['site', (value) => typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value), 'must be 1–64 letters, digits, "-" or "_"'],
  ['endpoint', (value) => typeof value === 'string' && value.length <= 2048 && /^(https?:\/\/[^\s/]|\/|$)/.test(value), 'must be an http(s) URL or a path'],
  ['adapter', (value) => isObject(value) && ['start', 'send', 'onEvent', 'stop'].every((method) => typeof value[method] === 'function'), 'must implement BackendAdapter (start, send, onEvent, stop)'],
  ['consent', (value) => value === 'implied' || value === 'required', 'must be one of "implied", "required"'],
  ['debug', (value) => typeof value === 'boolean', 'must be a boolean'],
  ['platform', isObject, 'must be an object'],
];

export function assertClientConfig(config: unknown): void {
  if (!isObject(config)) throw new ThreadlineError('invalid_input', 'config must be an object');
  for (const [field, valid, reason] of RULES) {
    const value = config[field];
    if ((value !== undefined || field === 'site') && !valid(value)) throw new ThreadlineError('invalid_input', `${field} ${value === undefined ? 'is required' : reason}`, { field });
  }
}
