import type { FormField, LeadInput } from '@threadline/core';
import { useMemo, useRef, useState } from 'preact/hooks';
import { phoneExample } from '../callback/phone-check';
import type { PanelProps } from '../panel-props';
import { ConsentField, consentRule, leadConsent } from './consent-field';
import { DeliveryNote } from './delivery-note';
import { fieldError, fieldLabel, formErrors, leadContent, type FieldValues } from './field-rules';
import { HoneypotField } from './honeypot-field';
import { towardsSubmit } from './towards-submit';

// Field names start with a letter (FormFieldSchema), so this key never collides with one.
const CONSENT = '_consent';
const idOf = (name: string) => `tl-form-${name}`;

const AUTOCOMPLETE: Partial<Record<FormField['type'], string>> = { name: 'name', phone: 'tel', email: 'email' };
const INPUT_TYPE: Partial<Record<FormField['type'], 'tel' | 'email'>> = { phone: 'tel', email: 'email' };

/** The lead form: the fields the site configured, checked on blur and on submit. */
export function LeadFormPanel(props: PanelProps) {
  const { client, config, locale, t } = props;
  const fields = config.form.fields;
  const consent = useMemo(() => consentRule(config, t('form.consentLabel')), [config, t]);
  const [values, setValues] = useState<FieldValues>(() => Object.fromEntries(fields.filter((field) => field.type === 'checkbox').map((field) => [field.name, false])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [agreed, setAgreed] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [clientId, setClientId] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const honeypotRef = useRef<HTMLInputElement>(null);
  const successRef = useRef<HTMLHeadingElement>(null);

  const setError = (name: string, error: string | undefined) =>
    setErrors((current) => {
      const next = { ...current };
      if (error) next[name] = error;
      else delete next[name];
      return next;
    });
  const focusField = (name: string) => {
    const control = formRef.current?.querySelector<HTMLElement>(`#${idOf(name)}`);
    control?.focus();
    // Focus scrolls only the control into view: its label above it would stay hidden under the header.
    control?.closest('.tl-field')?.scrollIntoView({ block: 'center' });
  };

  const change = (field: FormField, value: string | boolean) => {
    setValues((current) => ({ ...current, [field.name]: value }));
    // A message already shown goes away as soon as the value is right.
    if (errors[field.name] && !fieldError(field, value, t)) setError(field.name, undefined);
  };
  // Checked on blur only once there is something to check: tabbing through an empty
  // required field is not yet a mistake.
  const blur = (field: FormField, event: FocusEvent) => {
    if (towardsSubmit(event)) return;
    const value = values[field.name];
    if ((typeof value === 'string' && value.trim()) || errors[field.name]) setError(field.name, fieldError(field, value, t));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const found = formErrors(fields, values, t);
    if (consent.required && !agreed) found[CONSENT] = t('form.consentRequired');
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) return focusField(first);

    setBusy(true);
    const honeypot = honeypotRef.current?.value;
    const lead: LeadInput = {
      kind: 'form',
      ...leadContent(fields, values),
      ...(consent.shown ? { consent: leadConsent(consent, agreed) } : {}),
      ...(honeypot ? { honeypot } : {}),
    };
    if (consent.required && agreed && client.consentState.value !== 'granted') await client.consent(true);
    const result = await client.submitLead(lead);
    setBusy(false);
    if (!result.ok) return setFailure(t('form.failed', { reason: result.error.message }));
    setClientId(result.value.clientId);
    queueMicrotask(() => successRef.current?.focus());
  };

  if (clientId) {
    return (
      <div class="tl-success" part="success" role="status">
        <h2 ref={successRef} tabIndex={-1}>
          {t('form.successTitle')}
        </h2>
        <DeliveryNote client={client} clientId={clientId} offlineText={t('form.pendingOffline')} failedText={(reason) => t('form.failed', { reason })}>
          <p>{t('form.successText')}</p>
        </DeliveryNote>
      </div>
    );
  }

  return (
    <form ref={formRef} class="tl-lead" part="form" noValidate onSubmit={submit}>
      <p>{t('form.intro')}</p>
      {fields.map((field) => {
        const id = idOf(field.name);
        const error = errors[field.name];
        const value = values[field.name];
        const common = {
          id,
          name: field.name,
          required: field.required,
          'aria-invalid': error ? ('true' as const) : undefined,
          'aria-describedby': error ? `${id}-error` : undefined,
          onBlur: (event: FocusEvent) => blur(field, event),
        };
        const label = (
          <label for={id}>
            {fieldLabel(field, locale, config.defaultLocale, t)}
            {field.required && <span class="tl-required"> {t('form.requiredMark')}</span>}
          </label>
        );
        const text = typeof value === 'string' ? value : '';
        return (
          <div key={field.name} class={field.type === 'checkbox' ? 'tl-field tl-check' : 'tl-field'} part="field">
            {field.type === 'checkbox' ? (
              <>
                <input {...common} type="checkbox" checked={value === true} onChange={(event) => change(field, event.currentTarget.checked)} />
                {label}
              </>
            ) : field.type === 'select' ? (
              <>
                {label}
                <select {...common} value={text} onChange={(event) => change(field, event.currentTarget.value)}>
                  <option value="">{t('form.choose')}</option>
                  {(field.options ?? []).map((option) => (
                    <option key={option} value={option}>
                      {option}
                    </option>
                  ))}
                </select>
              </>
            ) : field.type === 'message' ? (
              <>
                {label}
                <textarea {...common} rows={3} maxLength={4000} value={text} onInput={(event) => change(field, event.currentTarget.value)} />
              </>
            ) : (
              <>
                {label}
                <input
                  {...common}
                  // Preact's input typings are a union per type; the three used here share every attribute.
                  type={(INPUT_TYPE[field.type] ?? 'text') as 'text'}
                  autoComplete={AUTOCOMPLETE[field.type]}
                  placeholder={field.type === 'phone' ? phoneExample(config.callback.defaultCountry) : undefined}
                  maxLength={field.type === 'name' ? 120 : 4000}
                  value={text}
                  onInput={(event) => change(field, event.currentTarget.value)}
                />
              </>
            )}
            {error && (
              <p id={`${id}-error`} class="tl-error" part="error">
                {error}
              </p>
            )}
          </div>
        );
      })}
      {consent.shown && (
        <ConsentField
          id={idOf(CONSENT)}
          rule={consent}
          checked={agreed}
          error={errors[CONSENT]}
          onChange={(checked) => (setAgreed(checked), checked && setError(CONSENT, undefined))}
        />
      )}
      <HoneypotField label={t('form.honeypotLabel')} inputRef={honeypotRef} />
      {failure && (
        <p class="tl-error" role="alert" part="error">
          {failure}
        </p>
      )}
      <button type="submit" class="tl-submit" part="submit" disabled={busy}>
        {busy ? t('form.sending') : t('form.submit')}
      </button>
    </form>
  );
}
