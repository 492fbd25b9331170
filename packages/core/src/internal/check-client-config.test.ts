import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ClientConfigSchema } from '../schemas/client-config';
import { assertClientConfig } from './check-client-config';

const adapter = { start() {}, send() {}, onEvent() {}, stop() {} };

// The eager check must accept exactly what the zod schema accepts.
test('agrees with ClientConfigSchema on generated configs', () => {
  const anyValue = fc.oneof(fc.string(), fc.constantFrom('implied', 'required', 'demo', 'https://chat.example.com', '/chat', ''), fc.boolean(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.constant(adapter), fc.object());
  const config = fc.record(
    { site: fc.oneof(anyValue, fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/)), endpoint: anyValue, adapter: anyValue, consent: anyValue, debug: anyValue, platform: anyValue },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(config, (candidate) => {
      let eagerAccepts = true;
      try {
        assertClientConfig(candidate);
      } catch {
        eagerAccepts = false;
      }
      expect(eagerAccepts).toBe(ClientConfigSchema.safeParse(candidate).success);
    }),
    { numRuns: 2000 },
  );
});
