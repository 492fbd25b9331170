// Mounts the real widgets into a shadow root, driven by a real core client over the
// in-memory backend: tests play the visitor through the DOM and the agent through the backend.
import { within, type BoundFunctions, type queries } from '@testing-library/preact';
import { createClient, createMemoryAdapter, SiteConfigSchema, type Locale, type MemoryAdapter, type SiteConfigInput } from '@threadline/core';
import { mountWidgets, type WidgetsHandle } from '../src/index';

/** What a widget test works with. */
export interface MountedWidgets {
  backend: MemoryAdapter;
  client: ReturnType<typeof createClient>;
  host: HTMLElement;
  root: ShadowRoot;
  handle: WidgetsHandle;
  /** Testing Library queries scoped to the shadow root. */
  view: BoundFunctions<typeof queries>;
  unmount(): void;
}

/** Options of `mountTestWidgets`. */
export interface TestMountOptions {
  config?: Omit<SiteConfigInput, 'site'>;
  locale?: Locale;
  backend?: MemoryAdapter;
  now?: () => number;
  styleNonce?: string;
  /** Markup the loader would have drawn before the widgets loaded. */
  loaderMarkup?: string;
}

/** Mounts the widgets for one test; call `unmount()` after it. */
export async function mountTestWidgets(options: TestMountOptions = {}): Promise<MountedWidgets> {
  const backend = options.backend ?? createMemoryAdapter();
  const client = createClient({ site: 'demo', adapter: backend, platform: { storage: 'memory' } });
  const host = document.createElement('div');
  document.body.append(host);
  const root = host.attachShadow({ mode: 'open' });
  if (options.loaderMarkup) root.innerHTML = options.loaderMarkup;
  const config = SiteConfigSchema.parse({ site: 'demo', ...options.config });
  const handle = await mountWidgets({ client, config, root, ...(options.locale ? { locale: options.locale } : {}), ...(options.now ? { now: options.now } : {}), ...(options.styleNonce ? { styleNonce: options.styleNonce } : {}) });
  return {
    backend,
    client,
    host,
    root,
    handle,
    view: within(root as unknown as HTMLElement),
    unmount() {
      handle.destroy();
      client.destroy();
      host.remove();
    },
  };
}
