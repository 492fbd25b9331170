/** A failure with the HTTP status and the `{ error: { code, field, message } }` body the API answers with. */
export class ThreadlineServerError extends Error {
  override readonly name = 'ThreadlineServerError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  toJSON(): { code: string; field?: string; message: string } {
    return this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, field: this.field, message: this.message };
  }
}
