// The agent API as the inbox calls it. Failures come back as values, never thrown,
// so that each caller shows them where the agent is looking (next to the reply box,
// next to a Retry button) instead of losing them in a console.

/** What the server answers when it refuses something (`{error: {code, field?, message}}`). */
export interface ApiFailure {
  code: string;
  message: string;
  field?: string;
  status: number;
}

export type ApiResult<T> = { ok: true; body: T } | { ok: false; error: ApiFailure };

const TOKEN_KEY = 'threadline:agent-token';
let token = sessionStorage.getItem(TOKEN_KEY);
const signedOutListeners: (() => void)[] = [];

/** Whether an agent token is held (the inbox shows the sign-in form otherwise). */
export const isSignedIn = (): boolean => token !== null;

/** Keeps the token for this tab only: a shared computer forgets it when the tab closes. */
export function signIn(newToken: string): void {
  token = newToken;
  sessionStorage.setItem(TOKEN_KEY, newToken);
}

export function signOut(): void {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  for (const listener of signedOutListeners) listener();
}

/** Runs `listener` when the token is dropped (signed out, or refused by the server). */
export function onSignedOut(listener: () => void): void {
  signedOutListeners.push(listener);
}

/** One call to the agent API with the agent's token; a 401 to that token signs the agent out. */
export async function request<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  const sent = token;
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(sent ? { Authorization: `Bearer ${sent}` } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch {
    return { ok: false, error: { code: 'network', message: 'the server cannot be reached; check the connection and try again', status: 0 } };
  }
  const body = (await response.json().catch(() => ({}))) as T & { error?: Partial<ApiFailure> };
  if (response.ok) return { ok: true, body };
  // Only a refusal of the token still held signs out: a request sent before the agent signed
  // in (or with an older token) must not sign out the session that began meanwhile.
  if (response.status === 401 && path !== '/api/v1/auth/login' && sent !== null && sent === token) signOut();
  const { code = 'server', message = `the server answered HTTP ${response.status}`, field } = body.error ?? {};
  return { ok: false, error: { code, message, status: response.status, ...(field ? { field } : {}) } };
}
