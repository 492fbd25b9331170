/** A listener of any event; the wire socket's events are typed where it is used (VisitorSocket). */
export type AnyListener = (...args: never[]) => void;

/** The `on`/`off`/emit trio of socket.io-client's Emitter, without its extras. */
export function createEventListeners() {
  let listeners: [string, AnyListener][] = [];
  return {
    on(event: string, listener: AnyListener): void {
      listeners.push([event, listener]);
    },
    /** Without arguments removes every listener, as socket.io-client's `off()`. */
    off(event?: string, listener?: AnyListener): void {
      listeners = listeners.filter(([name, known]) => (event !== undefined && name !== event) || (listener !== undefined && known !== listener));
    },
    emit(event: string, ...args: unknown[]): void {
      for (const [name, listener] of listeners) if (name === event) (listener as (...values: unknown[]) => void)(...args);
    },
  };
}
