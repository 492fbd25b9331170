// Single-page apps change the URL without a page load. pushState and replaceState fire
// no event, so they are wrapped; popstate is listened for (the back and forward buttons,
// and a fragment navigation too: HTML fires popstate before hashchange for those).

/**
 * Calls `onChange(href)` whenever the URL changes. The returned function stops it:
 * a wrapper is taken off only while it is still the method on `history`; when another
 * script has wrapped it since, taking ours off would drop theirs, so ours goes inert.
 */
export function watchHistory(onChange: (href: string) => void): () => void {
  let last = location.href;
  let notify = onChange;
  const check = () => {
    if (location.href !== last) notify((last = location.href));
  };
  const restores = (['pushState', 'replaceState'] as const).map((name) => {
    const original = history[name];
    // Both return undefined (HTML's History interface): nothing to pass on.
    const wrapper = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      check();
    };
    history[name] = wrapper;
    return () => {
      if (history[name] === wrapper) history[name] = original;
    };
  });
  addEventListener('popstate', check);
  return () => {
    notify = () => {};
    for (const restore of restores) restore();
    removeEventListener('popstate', check);
  };
}
