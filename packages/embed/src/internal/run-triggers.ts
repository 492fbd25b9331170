// Loaded by the app chunk only when the site has triggers: the engine and its URL
// matching are ≈2 KB gzip that most sites would download for nothing.
import { createTriggerEngine, type ThreadlineClient, type SiteConfig, type TriggerEngine } from '@threadline/core';
import type { WidgetsHandle } from '@threadline/widgets';

/**
 * Runs the site's triggers against the mounted widgets; caps are stored where consent
 * allows. Storage that throws (private mode, sandboxed iframes) is the engine's to handle:
 * caps then last for the page.
 */
export function runTriggers(client: ThreadlineClient, config: SiteConfig, widgets: WidgetsHandle, debug: boolean): TriggerEngine {
  return createTriggerEngine({
    // Its triggers, openNow and businessHours; no other field of a site config is an engine option.
    ...config,
    visitCount: () => client.visitor.value?.visitCount ?? 1,
    sessionId: () => client.visitor.value?.sessionId ?? '',
    storage: {
      get: (key) => (client.storageAllowed.value ? localStorage.getItem(key) : null),
      set: (key, value) => void (client.storageAllowed.value && localStorage.setItem(key, value)),
    },
    debug,
    onFire: (_trigger, action) => (action.type === 'open' ? widgets.open(action.widget) : widgets.showMessage(action.text)),
  });
}
