import { lazyModule } from '../internal/lazy-module';

/** The HTTP adapter's request code, fetched with the first request. */
export const loadHttpTransport = lazyModule(() => import('./http-transport'));
