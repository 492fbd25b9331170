import fc from 'fast-check';
import { expect, test, vi } from 'vitest';
import { createClient, createMemoryAdapter, ThreadlineError } from '../src/index.ts';
import { uniqueSite } from './helpers.ts';

// Whatever the sequence of outages, server errors and reloads, every lead the
// SDK accepted reaches the server, and reaches it once.
test('delivers every accepted lead exactly once across outages, 5xx answers and reloads', async () => {
  const step = fc.oneof(
    fc.record({ kind: fc.constant('lead' as const), phone: fc.stringMatching(/^\+380\d{9}$/) }),
    fc.record({ kind: fc.constant('offline' as const), offline: fc.boolean() }),
    fc.record({ kind: fc.constant('fail' as const), count: fc.integer({ min: 1, max: 3 }) }),
    fc.constant({ kind: 'reload' as const }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const site = uniqueSite();
      const backend = createMemoryAdapter();
      const platform = { random: () => 0 };
      let client = createClient({ site, adapter: backend, platform });
      const accepted: string[] = [];
      for (const action of steps) {
        if (action.kind === 'lead') {
          const result = await client.submitLead({ kind: 'callback', phone: action.phone });
          if (result.ok) accepted.push(result.value.clientId);
        } else if (action.kind === 'offline') {
          backend.setOffline(action.offline);
        } else if (action.kind === 'fail') {
          backend.failNext(action.count, new ThreadlineError('server', 'flaky', { retryable: true, status: 503 }));
        } else {
          client.destroy();
          client = createClient({ site, adapter: backend, platform });
          await client.ready;
        }
      }
      backend.setOffline(false);
      await client.outbox.flush();
      await vi.waitFor(() => expect(client.pending.value).toEqual([]), { timeout: 5000 });
      const delivered = backend.received.lead.map((lead) => lead.clientId);
      expect(delivered.sort()).toEqual([...accepted].sort());
      client.destroy();
    }),
    { numRuns: 40 },
  );
});
