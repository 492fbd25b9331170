import type { core } from 'zod/mini';

// zod/mini ships no locale by default (to stay small), so its messages are all
// "Invalid input". This turns an issue into a short English reason that names
// what was expected, which is what a developer reading a console needs.
export function describeIssue(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${issue.minimum} characters`
        : issue.origin === 'array'
          ? `must have at least ${issue.minimum} item(s)`
          : `must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : issue.origin === 'array'
          ? `must have at most ${issue.maximum} item(s)`
          : `must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_format':
      return `must be a valid ${FORMAT_NAMES[issue.format] ?? issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return `has unknown key(s) ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    case 'custom':
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'is invalid';
    default:
      return 'is invalid';
  }
}

const FORMAT_NAMES: Record<string, string> = {
  email: 'e-mail address',
  url: 'URL',
  uuid: 'UUID',
  datetime: 'ISO 8601 date-time',
  regex: 'value',
};

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
