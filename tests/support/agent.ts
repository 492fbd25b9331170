// An agent of the real server, as the inbox would be: signed in over HTTP, and
// online over the /agent socket (the widgets show a live chat only while one is).
import { io, type Socket } from 'socket.io-client';

/** Signs in and returns the agent API's Bearer token. */
export async function agentToken(server: string, password: string, email = 'admin@threadline.local'): Promise<string> {
  const response = await fetch(`${server}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return ((await response.json()) as { token: string }).token;
}

/** Connects the agent's socket; close it to go offline. */
export async function connectAgent(server: string, token: string): Promise<Socket> {
  const socket = io(`${server}/agent`, { auth: { token }, transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** GETs or POSTs the agent API as JSON. */
export async function agentApi<T>(server: string, token: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}
