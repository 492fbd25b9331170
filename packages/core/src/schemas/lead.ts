import * as z from 'zod/mini';
import {
  AttributionSchema,
  ClientIdSchema,
  EmailSchema,
  NameSchema,
  PageSchema,
  PhoneSchema,
  SiteKeySchema,
  TimestampSchema,
  VisitorIdSchema,
} from './common';

/** What the visitor asked for: a call back, a form, or a message left while nobody was online. */
export const LeadKindSchema = z.enum(['callback', 'form', 'offline-message']);

/** The consent the visitor gave with a lead: the exact text and its version are stored with it. */
export const LeadConsentSchema = z.object({
  given: z.boolean(),
  text: z.string().check(z.minLength(1), z.maxLength(4000)),
  version: z.string().check(z.minLength(1), z.maxLength(64)),
  at: z.optional(TimestampSchema),
});

/** When the visitor would like to be called: a window of two ISO timestamps. */
export const PreferredTimeSchema = z
  .object({ from: TimestampSchema, to: TimestampSchema })
  .check(z.refine((window) => Date.parse(window.from) <= Date.parse(window.to), { message: 'must end after it starts', path: ['to'] }));

/** Values of custom form fields (text, select, checkbox), keyed by field name. */
export const LeadFieldsSchema = z.record(
  z.string().check(z.minLength(1), z.maxLength(64)),
  z.union([z.string().check(z.maxLength(4000)), z.boolean(), z.array(z.string().check(z.maxLength(200))).check(z.maxLength(50))]),
);

const leadContent = {
  kind: LeadKindSchema,
  name: z.optional(NameSchema),
  phone: z.optional(PhoneSchema),
  email: z.optional(EmailSchema),
  message: z.optional(z.string().check(z.trim(), z.maxLength(4000))),
  preferredTime: z.optional(PreferredTimeSchema),
  fields: z.optional(LeadFieldsSchema),
  consent: z.optional(LeadConsentSchema),
  /** A field hidden from people; bots fill it. The server accepts such a lead and drops it. */
  honeypot: z.optional(z.string().check(z.maxLength(500))),
};

// The rules every lead keeps, whoever builds it (SDK call, HTTP body, webhook):
// a callback needs a phone, a form needs a way to answer, a left message needs text.
function checkLeadContent(lead: { kind: string; phone?: string; email?: string; message?: string }) {
  const problems: { path: string[]; message: string }[] = [];
  if (lead.kind === 'callback' && !lead.phone) problems.push({ path: ['phone'], message: 'is required' });
  if (lead.kind === 'form' && !lead.phone && !lead.email) problems.push({ path: ['phone'], message: 'or email is required' });
  if (lead.kind === 'offline-message' && !lead.message) problems.push({ path: ['message'], message: 'is required' });
  return problems;
}

const leadContentRules = z.superRefine((lead: { kind: string; phone?: string; email?: string; message?: string }, context) => {
  for (const problem of checkLeadContent(lead)) {
    context.addIssue({ code: 'custom', path: problem.path, message: problem.message, input: lead });
  }
});

/** What a developer or widget passes to `client.submitLead(...)`. */
export const LeadInputSchema = z.object(leadContent).check(leadContentRules);

/** A lead as it travels to the server (`POST /api/v1/leads`): the input plus context the SDK adds. */
export const LeadSchema = z
  .object({
    ...leadContent,
    site: SiteKeySchema,
    visitorId: VisitorIdSchema,
    clientId: ClientIdSchema,
    sessionId: z.optional(ClientIdSchema),
    page: z.optional(PageSchema),
    attribution: z.optional(AttributionSchema),
    createdAt: z.optional(TimestampSchema),
  })
  .check(leadContentRules);

/** What the server answers for an accepted lead (201 first time, 200 on replay). */
export const LeadReceiptSchema = z.object({
  leadId: z.string(),
  contactId: z.string(),
  threadId: z.string(),
});

export type LeadKind = z.infer<typeof LeadKindSchema>;
export type LeadConsent = z.infer<typeof LeadConsentSchema>;
export type LeadInput = z.input<typeof LeadInputSchema>;
export type Lead = z.infer<typeof LeadSchema>;
export type LeadReceipt = z.infer<typeof LeadReceiptSchema>;
