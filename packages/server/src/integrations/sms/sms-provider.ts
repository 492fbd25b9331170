/** One text message to one phone. */
export interface SmsMessage {
  /** E.164, e.g. +380671234567. */
  to: string;
  text: string;
}

/**
 * A provider that sends SMS over HTTP. `send` resolves with the provider's
 * message id, or throws a JobFailure saying whether a retry can help.
 */
export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<{ externalId: string }>;
}
