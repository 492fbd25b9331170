import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Queryable } from '../../db/database';
import { siteForAddress, type MailEnvironment } from './email-settings';
import { EmailRejection, parseRawEmail, type IncomingEmail } from './inbound-email';

/** Where the listener binds and what it accepts. */
export interface SmtpListenerOptions {
  db: Queryable;
  environment: MailEnvironment;
  /** Largest message accepted, in bytes (announced with the SIZE extension, RFC 1870). */
  maxMessageBytes: number;
  /** Files the message; throws an EmailRejection to refuse it, anything else is a temporary failure. */
  deliver(delivery: { sites: string[]; email: IncomingEmail }): Promise<void>;
  onError(error: unknown): void;
}

export interface SmtpListener {
  /** Starts listening; port 0 picks a free port. Resolves with the port. */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/**
 * The inbound SMTP server: plain SMTP without AUTH or STARTTLS, meant to sit
 * behind the business's MX or a relay that does TLS, spam filtering and
 * SPF/DKIM (docs/channels.md). A message is answered 250 only after it is
 * stored, so a sender that sees anything else keeps it and retries.
 */
export function createSmtpListener(options: SmtpListenerOptions): SmtpListener {
  const server = new SMTPServer({
    name: options.environment.domain ?? 'threadline.local',
    banner: 'Threadline inbound mail',
    size: options.maxMessageBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      siteForAddress(options.db, address.address, options.environment).then(
        (site) => callback(site ? null : smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        (error: unknown) => {
          options.onError(error);
          callback(smtpError(451, '4.3.0 Temporary failure looking up the mailbox; try again later'));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, `5.3.4 The message is larger than ${options.maxMessageBytes} bytes`));
          return;
        }
        const raw = Buffer.concat(chunks);
        deliverTo(session, raw).then(
          () => callback(null),
          (error: unknown) => {
            if (error instanceof EmailRejection) {
              callback(smtpError(error.responseCode, error.message));
              return;
            }
            options.onError(error);
            // Not stored: a temporary code makes the sending server keep the message and retry.
            callback(smtpError(451, '4.3.0 The message could not be stored now; try again later'));
          },
        );
      });
    },
  });
  server.on('error', (error) => options.onError(error));

  const deliverTo = async (session: SMTPServerSession, raw: Buffer) => {
    const sites: string[] = [];
    for (const recipient of session.envelope.rcptTo) {
      const site = await siteForAddress(options.db, recipient.address, options.environment);
      if (site) sites.push(site);
    }
    if (sites.length === 0) throw new EmailRejection(550, '5.1.1 None of the recipients is a mailbox here');
    await options.deliver({ sites, email: await parseRawEmail(raw) });
  };

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          resolve((server.server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
