/** `[threadline]`-prefixed console output, silent unless the client was created with `debug: true`. */
export interface Logger {
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

export function createLogger(enabled: boolean): Logger {
  return {
    debug: (...args) => {
      if (enabled) console.debug('[threadline]', ...args);
    },
    warn: (...args) => {
      if (enabled) console.warn('[threadline]', ...args);
    },
  };
}
