import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks signature (https://www.standardwebhooks.com/, spec
 * "Signature scheme"): base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed
 * by the base64-decoded part of the secret after `whsec_`, sent as `v1,<sig>`.
 */
export function signWebhook(input: { id: string; timestamp: number; body: string; secret: string }): string {
  const key = Buffer.from(input.secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${input.id}.${input.timestamp}.${input.body}`).digest('base64');
  return `v1,${signature}`;
}

/** The three headers a Standard Webhooks receiver verifies. */
export function webhookHeaders(input: { id: string; timestamp: number; body: string; secret: string }): Record<string, string> {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signWebhook(input),
  };
}
