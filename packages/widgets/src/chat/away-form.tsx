import type { LeadInput } from '@threadline/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelProps } from '../panel-props';
import { focusInto } from '../panel-shell';
import { useSignalValue } from '../use-signal-value';
import { LazyContinueInTelegram } from './lazy-continue-in-telegram';

type FieldName = 'name' | 'contact' | 'message';
type Errors = Partial<Record<FieldName, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// The server normalises and checks numbers properly (libphonenumber); this only
// catches what cannot be a phone number at all.
const PHONE = /^\+?[\d\s().-]+$/;

function contactOf(value: string): Pick<LeadInput, 'email' | 'phone'> | undefined {
  if (value.includes('@')) return EMAIL.test(value) ? { email: value } : undefined;
  const digits = value.replace(/\D/g, '').length;
  return PHONE.test(value) && digits >= 7 && digits <= 15 ? { phone: value } : undefined;
}

/** Props of the chat's "nobody can answer now" part. */
export interface AwayProps extends PanelProps {
  /** Inside the conversation (which stays): the notice and a contact capture instead of the form. */
  inChat?: boolean;
  /** Whether nobody can answer now; in the chat the notice goes once someone can. */
  nobody?: boolean;
}

/**
 * While nobody can answer. A visitor with neither a conversation nor a known contact gets
 * "leave a message", sent as an `offline-message` lead through the outbox. In a conversation
 * (`inChat`) it says so above the thread and asks once for a phone or e-mail the answer can reach
 * (`identify`: an unverified claim, which shows agents where to answer and lets the visitor read nothing more).
 */
export function AwayForm({ client, config, locale, t, now, inChat, nobody }: AwayProps) {
  const [values, setValues] = useState<Record<FieldName, string>>({ name: '', contact: '', message: '' });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [sentId, setSentId] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const pending = useSignalValue(client.pending);
  const offline = useSignalValue(client.status) === 'offline';
  const person = useSignalValue(client.person);
  // The server's openNow says when a closed business opens (docs/api.md); shown in the visitor's time zone.
  const opensAt = config.openNow?.open === false ? config.openNow.changesAt : undefined;
  const notice = `${t('away.intro')} ${opensAt! > now() ? t('away.opens', { time: new Date(opensAt!).toLocaleString(locale, { weekday: 'short', hour: 'numeric', minute: 'numeric' }) }) : ''}`;

  // A conversation on the server this browser no longer has shows instead of the form (the chat's own opening does this there).
  useEffect(() => void (inChat || client.chat.loadHistory()), []);
  // The form took the chat's place under the focus (its composer is gone, the page has the focus): the focus follows.
  useEffect(() => void (!inChat && document.activeElement === document.body && focusInto(formRef.current!)), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const name = values.name.trim();
    const message = values.message.trim();
    const contact = contactOf(values.contact.trim());
    const found: Errors = {};
    if (!values.contact.trim()) found.contact = t('away.required');
    else if (!contact) found.contact = t('away.badContact');
    if (!message && !inChat) found.message = t('away.required');
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) return formRef.current?.querySelector<HTMLElement>(`#tl-away-${first}`)?.focus();

    setBusy(true);
    setFailed(false);
    const result = await (inChat ? client.identify(contact!) : client.submitLead({ kind: 'offline-message', message, ...contact, ...(name ? { name } : {}) }));
    setBusy(false);
    if (!result.ok) {
      const field = result.error.field;
      if (field === 'phone' || field === 'email') setErrors({ contact: t('away.badContact') });
      else setFailed(true);
      return;
    }
    setSentId(result.value.clientId ?? '');
  };

  // Still in the outbox while the browser is offline: the visitor learns it is safe, not lost.
  const success = sentId !== undefined && (
    <div class="tl-success" part="success" role="status">
      <p>{t(pending.some((entry) => entry.id === sentId) && (offline || !navigator.onLine) ? 'away.queued' : 'away.done')}</p>
    </div>
  );

  const field = (name: FieldName, multiline?: boolean, label = `away.${name}`) => {
    const id = `tl-away-${name}`;
    const error = errors[name];
    const attributes = {
      id,
      value: values[name],
      'aria-invalid': error ? ('true' as const) : undefined,
      'aria-describedby': error ? `${id}-error` : undefined,
      onInput: (event: Event) => setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value }),
    };
    return (
      <div class="tl-field" part="field">
        <label for={id}>{t(label)}</label>
        {multiline ? (
          <textarea {...attributes} rows={4} maxLength={4000} required />
        ) : (
          <input {...attributes} autocomplete={name === 'name' ? 'name' : 'on'} maxLength={name === 'name' ? 120 : 254} required={name === 'contact'} />
        )}
        {error && (
          <p id={`${id}-error`} class="tl-error" part="error">
            {error}
          </p>
        )}
      </div>
    );
  };

  // In the chat only the contact is asked, until the visitor (or the site, with identify) gave one.
  const form = (
    <form ref={formRef} class="tl-lead" part="form" noValidate onSubmit={submit}>
      {!inChat && (
        <p class="tl-note" part="note">
          {notice}
        </p>
      )}
      {!inChat && field('name')}
      {field('contact', false, inChat ? 'away.reach' : undefined)}
      {!inChat && field('message', true)}
      {failed && (
        <p class="tl-error" part="error" role="alert">
          {t('away.failed')}
        </p>
      )}
      <button type="submit" class="tl-submit" part="submit" disabled={busy}>
        {t(inChat ? 'away.save' : 'away.submit')}
      </button>
    </form>
  );

  return inChat ? (
    <>
      {nobody && (
        <p class="tl-notice" part="notice" role="status">
          {notice}
        </p>
      )}
      {success || (!person && form)}
    </>
  ) : (
    success || (
      <>
        {/* Nobody online is when a messenger helps most: the reply reaches the customer's phone. */}
        <LazyContinueInTelegram config={config} client={client} t={t} now={now} />
        {form}
      </>
    )
  );
}
