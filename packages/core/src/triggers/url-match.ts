import type { TriggerCondition } from '../schemas/site-config';

type UrlCondition = Extract<TriggerCondition, { type: 'url' }>;

/** Tests one page URL; built once per condition. */
export type UrlMatcher = (url: string) => boolean;

interface Pattern {
  regex: RegExp;
  /** Glob only: a pattern starting with `/` is matched against the path, not the whole URL. */
  pathOnly: boolean;
  withSearch: boolean;
  withHash: boolean;
}

/**
 * Glob to an anchored RegExp: `*` is any run of characters but `/`, `**` any run at all,
 * and `/**\/` also matches a single `/` (zero folders), as in .gitignore. Everything else
 * is literal, `?` included: the query string is part of the URL, not a wildcard.
 */
function globToRegExp(glob: string): RegExp {
  if (/^\*+$/.test(glob)) return /^/;
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index]!;
    if (char !== '*') {
      source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    let stars = 1;
    while (glob[index + 1] === '*') {
      stars += 1;
      index += 1;
    }
    if (stars === 1) source += '[^/]*';
    else if (glob[index - stars] === '/' && glob[index + 1] === '/') {
      source += '(?:.*/)?';
      index += 1;
    } else source += '.*';
  }
  return new RegExp(`^${source}$`);
}

function globPattern(glob: string): Pattern {
  return {
    regex: globToRegExp(glob),
    pathOnly: glob.startsWith('/') && !glob.startsWith('//'),
    withSearch: glob.includes('?'),
    withHash: glob.includes('#'),
  };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

// A glob is matched against the URL without its query string and fragment unless it
// writes them itself, so `/pricing` still matches `/pricing?utm_source=ads`; and a
// trailing slash on the path is optional, so it matches `/pricing/` too.
function globMatches(pattern: Pattern, url: string, parsed: URL | undefined): boolean {
  if (!parsed) return pattern.regex.test(url);
  const tail = (pattern.withSearch ? parsed.search : '') + (pattern.withHash ? parsed.hash : '');
  const head = pattern.pathOnly ? '' : parsed.origin;
  const path = parsed.pathname;
  return pattern.regex.test(head + path + tail) || (path.length > 1 && path.endsWith('/') && pattern.regex.test(head + path.slice(0, -1) + tail));
}

/**
 * Builds the matcher of a `url` condition: true when some `include` pattern matches
 * (or `include` is empty) and no `exclude` pattern does. Globs follow the rules above;
 * regular expressions are searched in the full URL. A malformed regular expression makes
 * the condition false instead of throwing, and is reported through `onInvalid`.
 */
export function createUrlMatcher(condition: UrlCondition, onInvalid: (pattern: string, error: unknown) => void = () => {}): UrlMatcher {
  const compile = (source: string): Pattern | undefined => {
    if (condition.match !== 'regex') return globPattern(source);
    try {
      return { regex: new RegExp(source), pathOnly: false, withSearch: true, withHash: true };
    } catch (error) {
      onInvalid(source, error);
      return undefined;
    }
  };
  const include = (condition.include ?? []).map(compile);
  const exclude = (condition.exclude ?? []).map(compile);
  const compiled = [...include, ...exclude];
  if (compiled.some((pattern) => pattern === undefined)) return () => false;

  const test = (pattern: Pattern | undefined, url: string, parsed: URL | undefined) =>
    condition.match === 'regex' ? pattern!.regex.test(url) : globMatches(pattern!, url, parsed);
  return (url) => {
    const parsed = condition.match === 'regex' ? undefined : parse(url);
    return (include.length === 0 || include.some((pattern) => test(pattern, url, parsed))) && !exclude.some((pattern) => test(pattern, url, parsed));
  };
}
