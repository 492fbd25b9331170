import type * as CommandsModuleNamespace from './commands';

type CommandsModule = typeof CommandsModuleNamespace;

let loading: Promise<CommandsModule> | undefined;

/** Loads the commands chunk once; a failed load (offline before it ever arrived) is retried on the next call. */
export function loadCommands(): Promise<CommandsModule> {
  loading ??= import('./commands').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
