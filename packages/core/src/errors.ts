/** Machine-readable reasons a Threadline call can fail. */
export type ThreadlineErrorCode =
  | 'invalid_input'
  | 'network'
  | 'timeout'
  | 'rate_limited'
  | 'server'
  | 'rejected'
  | 'unauthorized'
  | 'not_found'
  | 'unsupported'
  | 'storage'
  | 'destroyed'
  | 'consent_required';

/** Options accepted by the ThreadlineError constructor. */
export interface ThreadlineErrorOptions {
  /** Dotted path of the offending input field, e.g. `preferredTime.from`. */
  field?: string;
  /** Whether sending the same thing again later may succeed. */
  retryable?: boolean;
  /** How long the server asked us to wait before retrying, in milliseconds. */
  retryAfterMs?: number;
  /** HTTP status, when the failure came from an HTTP response. */
  status?: number;
  cause?: unknown;
}

/** The one error type every Threadline package raises or reports. */
export class ThreadlineError extends Error {
  override readonly name = 'ThreadlineError';
  readonly code: ThreadlineErrorCode;
  readonly field: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(code: ThreadlineErrorCode, message: string, options: ThreadlineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }

  /** The wire form used in `{ error: {...} }` HTTP bodies and socket acks. */
  toJSON(): { code: ThreadlineErrorCode; field?: string; message: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, field: this.field, message: this.message };
  }
}

/** True when `value` is a ThreadlineError (also across bundle copies). */
export function isThreadlineError(value: unknown): value is ThreadlineError {
  return value instanceof ThreadlineError || (value instanceof Error && value.name === 'ThreadlineError' && 'code' in value);
}

/** True when a failed send may succeed if tried again later (network, 408, 429, 5xx). */
export function isRetryable(value: unknown): boolean {
  return isThreadlineError(value) && value.retryable;
}
