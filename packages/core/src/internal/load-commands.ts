import { lazyModule } from './lazy-module';

/** The commands chunk (commands.ts with the zod validators), fetched on first use. */
export const loadCommands = lazyModule(() => import('./commands'));
