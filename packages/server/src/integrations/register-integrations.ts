import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChannelContext } from '../channels/channel';
import type { Agent } from '../domain/agents';
import { AMOCRM_JOB_KIND, createAmoCrmPusher } from './amocrm/amocrm';
import { BITRIX24_JOB_KIND, createBitrix24Pusher } from './bitrix24/bitrix24';
import { createSmsNoticeSender, SMS_JOB_KIND } from './sms/sms-notices';
import { createWebhookDeliverer, WEBHOOK_JOB_KIND } from './webhooks/outgoing-webhooks';
import { registerWebhookRoutes } from './webhooks/webhook-routes';

/**
 * Wires the outbound integrations' workers and routes: outgoing webhooks, CRM
 * pushes (amoCRM, Bitrix24) and SMS notices. Their jobs are queued by the
 * integration outbox (integration-outbox.ts) inside each write's transaction.
 */
export async function registerIntegrations(app: FastifyInstance, context: Pick<ChannelContext, 'db' | 'jobs'>, requireAgent: (request: FastifyRequest) => Promise<Agent>): Promise<void> {
  const { db, jobs } = context;
  jobs.register(WEBHOOK_JOB_KIND, createWebhookDeliverer(db));
  jobs.register(AMOCRM_JOB_KIND, createAmoCrmPusher(db));
  jobs.register(BITRIX24_JOB_KIND, createBitrix24Pusher(db));
  jobs.register(SMS_JOB_KIND, createSmsNoticeSender(db));
  await registerWebhookRoutes(app, { db, jobs, requireAgent });
}
