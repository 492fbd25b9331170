import { ThreadlineError } from '../errors';

// A synchronous twin of ClientConfigSchema for the eager bundle: createClient must
// report a bad config at once, before the zod chunk could load. A property test
// (client-config.test.ts) proves the two agree.
const SITE_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const ENDPOINT = /^https?:\/\/[^\s/]+/;

export function assertClientConfig(config: unknown): void {
  const fail = (field: string, reason: string) => {
    throw new ThreadlineError('invalid_input', `${field} ${reason}`, { field });
  };
  if (typeof config !== 'object' || config === null) throw new ThreadlineError('invalid_input', 'config must be an object');
  const { site, endpoint, adapter, consent, debug, platform } = config as Record<string, unknown>;
  if (typeof site !== 'string') fail('site', site === undefined ? 'is required' : 'must be a string');
  else if (!SITE_KEY.test(site)) fail('site', 'must be 1–64 letters, digits, "-" or "_"');
  if (endpoint !== undefined) {
    if (typeof endpoint !== 'string') fail('endpoint', 'must be a string');
    else if (endpoint.length > 2048 || !(endpoint === '' || ENDPOINT.test(endpoint) || endpoint.startsWith('/'))) fail('endpoint', 'must be an http(s) URL or a path');
  }
  if (adapter !== undefined) {
    const methods = adapter as Record<string, unknown> | null;
    if (typeof methods !== 'object' || methods === null || !['start', 'send', 'onEvent', 'stop'].every((method) => typeof methods[method] === 'function')) {
      fail('adapter', 'must implement BackendAdapter (start, send, onEvent, stop)');
    }
  }
  if (consent !== undefined && consent !== 'implied' && consent !== 'required') fail('consent', 'must be one of "implied", "required"');
  if (debug !== undefined && typeof debug !== 'boolean') fail('debug', 'must be a boolean');
  if (platform !== undefined && (typeof platform !== 'object' || platform === null || Array.isArray(platform))) fail('platform', 'must be an object');
}
