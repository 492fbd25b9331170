// Single-page apps change the URL without a page load. pushState and replaceState fire
// no event, so they are wrapped; popstate and hashchange are listened for.

type HistoryMethod = 'pushState' | 'replaceState';

/**
 * Calls `onChange(href)` whenever the URL changes. The returned function stops it:
 * a wrapper is taken off only while it is still the method on `history`; when another
 * script has wrapped it since, taking ours off would drop theirs, so ours goes inert.
 */
export function watchHistory(onChange: (href: string) => void): () => void {
  let active = true;
  let last = location.href;
  const check = () => {
    if (active && location.href !== last) onChange((last = location.href));
  };
  const restores = (['pushState', 'replaceState'] as const).map((name: HistoryMethod) => {
    const original = history[name];
    const wrapper = function (this: History, ...args: Parameters<History[HistoryMethod]>) {
      const result = original.apply(this, args);
      check();
      return result;
    };
    history[name] = wrapper;
    return () => {
      if (history[name] === wrapper) history[name] = original;
    };
  });
  addEventListener('popstate', check);
  addEventListener('hashchange', check);
  return () => {
    active = false;
    for (const restore of restores) restore();
    removeEventListener('popstate', check);
    removeEventListener('hashchange', check);
  };
}
