import type { LeadConsent, SiteConfig } from '@threadline/core';

/** How the consent checkbox appears for this site, and what is stored with a lead. */
export interface ConsentRule {
  shown: boolean;
  /** Submitting is blocked until it is ticked (`consent.mode: 'required'`). */
  required: boolean;
  text: string;
  version: string;
}

// A site that sets a text but no version still needs the stored consent to say which
// text was agreed to: a hash of the text changes whenever the text does.
function textVersion(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return `text-${(hash >>> 0).toString(16)}`;
}

/** Reads the site's consent settings; `defaultText` is the widget's own wording in the visitor's locale. */
export function consentRule(config: SiteConfig, defaultText: string): ConsentRule {
  const required = config.consent.mode === 'required';
  const text = config.consent.text || defaultText;
  return { shown: required || Boolean(config.consent.text), required, text, version: config.consent.version || textVersion(text) };
}

/** The consent to store with a lead, or nothing when the site shows no checkbox. */
export function leadConsent(rule: ConsentRule, given: boolean): LeadConsent | undefined {
  return rule.shown ? { given, text: rule.text, version: rule.version } : undefined;
}

interface ConsentFieldProps {
  id: string;
  rule: ConsentRule;
  checked: boolean;
  error: string | undefined;
  onChange(checked: boolean): void;
}

/** The consent checkbox with its exact text (the same text is stored with the lead). */
export function ConsentField({ id, rule, checked, error, onChange }: ConsentFieldProps) {
  return (
    <div class="tl-field tl-check" part="field">
      <input
        id={id}
        type="checkbox"
        name="consent"
        checked={checked}
        required={rule.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <label for={id}>{rule.text}</label>
      {error && (
        <p id={`${id}-error`} class="tl-error" part="error">
          {error}
        </p>
      )}
    </div>
  );
}
