// Loaded by the app chunk only when the site has triggers: the engine and its URL
// matching are ≈4 KB gzip that most sites would download for nothing.
import { createTriggerEngine, type ThreadlineClient, type SiteConfig, type TriggerEngine, type TriggerStorage } from '@threadline/core';
import type { WidgetsHandle } from '@threadline/widgets';

/** Runs the site's triggers against the mounted widgets; caps are stored where consent allows. */
export function runTriggers(client: ThreadlineClient, config: SiteConfig, widgets: WidgetsHandle, debug: boolean): TriggerEngine {
  const storage: TriggerStorage = {
    get: (key) => (client.storageAllowed.value ? attempt(() => localStorage.getItem(key)) ?? null : null),
    set: (key, value) => void (client.storageAllowed.value && attempt(() => localStorage.setItem(key, value))),
  };
  return createTriggerEngine({
    triggers: config.triggers,
    openNow: config.openNow,
    businessHours: config.businessHours,
    visitCount: () => client.visitor.value?.visitCount ?? 1,
    sessionId: () => client.visitor.value?.sessionId ?? '',
    storage,
    debug,
    onFire: (_trigger, action) => (action.type === 'open' ? widgets.open(action.widget) : widgets.showMessage(action.text)),
  });
}

// Storage may be blocked (private mode, sandboxed iframes): caps then last for the page.
function attempt<T>(use: () => T): T | undefined {
  try {
    return use();
  } catch {
    return undefined;
  }
}
