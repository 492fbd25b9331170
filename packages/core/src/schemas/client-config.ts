import * as z from 'zod/mini';
import { SiteKeySchema } from './common';

const isAdapter = (value: unknown) => {
  const adapter = value as Record<string, unknown> | null;
  return typeof adapter === 'object' && adapter !== null && ['start', 'send', 'onEvent', 'stop'].every((method) => typeof adapter[method] === 'function');
};

/** What `createClient` accepts; validated so that a typo is reported with the field's name. */
export const ClientConfigSchema = z.object({
  site: SiteKeySchema,
  endpoint: z.optional(z.string().check(z.maxLength(2048), z.refine((value) => value === '' || /^https?:\/\/[^\s/]+/.test(value) || value.startsWith('/'), 'must be an http(s) URL or a path'))),
  adapter: z.optional(z.custom<unknown>(isAdapter, 'must implement BackendAdapter (start, send, onEvent, stop)')),
  consent: z.optional(z.enum(['implied', 'required'])),
  debug: z.optional(z.boolean()),
  platform: z.optional(z.record(z.string(), z.unknown())),
});
