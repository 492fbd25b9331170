type Validators = typeof import('./validators');

let loading: Promise<Validators> | undefined;

/** Loads the validation chunk once; a failed load (offline before it ever arrived) is retried on the next call. */
export function loadValidators(): Promise<Validators> {
  loading ??= import('./validators').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
