// Public surface of @threadline/embed: the types of the script tag's global. The tag
// itself is built from src/loader.ts (see src/build.ts); nothing here runs code.
export type { ConfigOverrides } from './internal/config-overrides';
export type { EmbedEventName, ThreadlineCommand, ThreadlineGlobal } from './public-types';
