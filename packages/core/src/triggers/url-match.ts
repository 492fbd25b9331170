import type { TriggerCondition } from '../schemas/site-config';

type UrlCondition = Extract<TriggerCondition, { type: 'url' }>;

/** Tests one page URL; built once per condition. */
export type UrlMatcher = (url: string) => boolean;

/**
 * A glob's matcher. In the anchored RegExp it becomes, `*` is any run of characters but
 * `/`, `**` any run at all, and `/**\/` also matches a single `/` (zero folders), as in
 * .gitignore. Everything else is literal, `?` included: the query string is part of the
 * URL, not a wildcard. A glob is matched against the URL without its query string and
 * fragment unless it writes them itself, so `/pricing` still matches
 * `/pricing?utm_source=ads`; one starting with `/` against the path alone; and a trailing
 * slash on the path is optional, so `/pricing` matches `/pricing/` too.
 */
function globMatcher(glob: string): UrlMatcher {
  if (/^\*+$/.test(glob)) return () => true;
  const regex = new RegExp(
    `^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/(?<=\/)\*\*+\/|\*\*+|\*/g, (stars) => (stars.endsWith('/') ? '(?:.*/)?' : stars[1] ? '.*' : '[^/]*'))}$`,
  );
  const pathOnly = /^\/(?!\/)/.test(glob);
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return regex.test(url);
    }
    const { origin, pathname, search, hash } = parsed;
    const test = (path: string) => regex.test((pathOnly ? '' : origin) + path + (glob.includes('?') ? search : '') + (glob.includes('#') ? hash : ''));
    return test(pathname) || (pathname.length > 1 && pathname.endsWith('/') && test(pathname.slice(0, -1)));
  };
}

/**
 * Builds the matcher of a `url` condition: true when some `include` pattern matches
 * (or `include` is empty) and no `exclude` pattern does. Globs follow the rules above;
 * regular expressions are searched in the full URL. A malformed regular expression makes
 * the condition false instead of throwing, and is reported through `onInvalid`.
 */
export function createUrlMatcher(condition: UrlCondition, onInvalid: (pattern: string, error: unknown) => void = () => {}): UrlMatcher {
  let valid = true;
  const compile = (source: string): UrlMatcher => {
    if (condition.match !== 'regex') return globMatcher(source);
    try {
      const regex = new RegExp(source);
      return (url) => regex.test(url);
    } catch (error) {
      onInvalid(source, error);
      valid = false;
      return () => false;
    }
  };
  const include = condition.include.map(compile);
  const exclude = condition.exclude.map(compile);
  return (url) => valid && (!include.length || include.some((test) => test(url))) && !exclude.some((test) => test(url));
}
