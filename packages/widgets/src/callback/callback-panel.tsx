import type { LeadInput, TimeSlot } from '@threadline/core';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useCallbackAvailability } from './availability';
import { ConsentField, consentRule, leadConsent } from '../lead-form/consent-field';
import { DeliveryNote } from '../lead-form/delivery-note';
import { HoneypotField } from '../lead-form/honeypot-field';
import type { PanelProps } from '../panel-props';
import { towardsSubmit } from '../lead-form/towards-submit';
import { isPlausiblePhone, phoneExample } from './phone-check';
import { slotLabel, visitorTimeZone } from './slot-label';
import { useCountdown } from './use-countdown';
import { useSignalValue } from '../use-signal-value';

/** 45 → "0:45": minutes and seconds read the same in every locale. */
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

type Errors = { phone?: string; consent?: string; form?: string };

interface Submitted {
  clientId: string;
  phone: string;
  slot?: TimeSlot;
}

/**
 * The callback request: a phone number, then either "we call you in N seconds" (open
 * now) or a choice of slots inside the next business hours (closed now).
 */
export function CallbackPanel(props: PanelProps) {
  const { client, config, locale, t, now } = props;
  const availability = useCallbackAvailability(config, now);
  const open = availability?.open ?? true;
  const slots = availability?.slots ?? [];
  const consent = useMemo(() => consentRule(config, t('callback.consentLabel')), [config, t]);
  const example = phoneExample(config.callback.defaultCountry);
  const answerWithin = config.callback.answerWithinSeconds;

  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [slotIndex, setSlotIndex] = useState(0);
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState<Submitted>();
  const phoneRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const honeypotRef = useRef<HTMLInputElement>(null);
  const successRef = useRef<HTMLHeadingElement>(null);
  // The promise "we call you in N seconds" starts when the server has the request, not
  // while it waits in the outbox of an offline visitor.
  const pending = useSignalValue(client.pending);
  const delivered = submitted !== undefined && !pending.some((entry) => entry.id === submitted.clientId);
  const [callBy, setCallBy] = useState<number>();
  useEffect(() => {
    if (open && delivered && callBy === undefined) setCallBy(now() + answerWithin * 1000);
  }, [delivered]);
  const secondsLeft = useCountdown(callBy, now);

  const phoneError = (value: string) => (!value.trim() ? t('callback.phoneRequired') : isPlausiblePhone(value) ? undefined : t('callback.phoneInvalid', { example }));

  const submit = async (event: Event) => {
    event.preventDefault();
    // Until the hours are known the panel cannot tell "call now" from "pick a slot".
    if (busy || !availability) return;
    const found: Errors = {
      phone: phoneError(phone),
      consent: consent.required && !agreed ? t('callback.consentRequired') : undefined,
    };
    setErrors(found);
    if (found.phone) return phoneRef.current?.focus();
    if (found.consent) return formRef.current?.querySelector<HTMLInputElement>('#tl-callback-consent')?.focus();

    setBusy(true);
    const slot = open ? undefined : slots[slotIndex];
    const honeypot = honeypotRef.current?.value;
    const lead: LeadInput = {
      kind: 'callback',
      phone: phone.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(slot ? { preferredTime: { from: slot.from.toISOString(), to: slot.to.toISOString() } } : {}),
      ...(consent.shown ? { consent: leadConsent(consent, agreed) } : {}),
      ...(honeypot ? { honeypot } : {}),
    };
    // Ticking the required box is the visitor's consent: without it core would keep the lead unsent.
    if (consent.required && agreed && client.consentState.value !== 'granted') await client.consent(true);
    const result = await client.submitLead(lead);
    setBusy(false);
    if (!result.ok) {
      if (result.error.field === 'phone') {
        setErrors({ phone: t('callback.phoneInvalid', { example }) });
        return phoneRef.current?.focus();
      }
      return setErrors({ form: t('callback.failed', { reason: result.error.message }) });
    }
    setSubmitted({ clientId: result.value.clientId, phone: lead.phone!, ...(slot ? { slot } : {}) });
    // The form is gone: keyboard and screen-reader users continue from the confirmation.
    queueMicrotask(() => successRef.current?.focus());
  };

  if (submitted) {
    return (
      <div class="tl-success" part="success">
        <div role="status">
          <h2 ref={successRef} tabIndex={-1}>
            {t('callback.successTitle')}
          </h2>
          <DeliveryNote client={client} clientId={submitted.clientId} offlineText={t('callback.pendingOffline')} failedText={(reason) => t('callback.failed', { reason })}>
            <p>
              {submitted.slot
                ? t('callback.successScheduled', { phone: submitted.phone, time: slotLabel(submitted.slot, locale) })
                : t('callback.successNow', { phone: submitted.phone, seconds: answerWithin })}
            </p>
          </DeliveryNote>
          {callBy !== undefined && secondsLeft === 0 && <p>{t('callback.calling')}</p>}
        </div>
        {/* role=timer is not announced on every tick (its live region is off by default); the status above is. */}
        {callBy !== undefined && secondsLeft > 0 && (
          <p class="tl-timer" role="timer" part="timer">
            {clock(secondsLeft)}
          </p>
        )}
      </div>
    );
  }

  const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;
  return (
    <form ref={formRef} class="tl-lead" part="form" noValidate onSubmit={submit}>
      {availability && <p>{open ? t('callback.openNow', { seconds: answerWithin }) : t('callback.intro')}</p>}
      <div class="tl-field" part="field">
        <label for="tl-callback-name">{t('callback.nameLabel')}</label>
        <input id="tl-callback-name" name="name" type="text" autoComplete="name" maxLength={120} value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      <div class="tl-field" part="field">
        <label for="tl-callback-phone">{t('callback.phoneLabel')}</label>
        <input
          ref={phoneRef}
          id="tl-callback-phone"
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={32}
          required
          placeholder={example}
          value={phone}
          aria-invalid={errors.phone ? 'true' : undefined}
          aria-describedby={describedBy('tl-callback-phone-hint', errors.phone && 'tl-callback-phone-error')}
          onInput={(event) => setPhone(event.currentTarget.value)}
          onBlur={(event) => phone && !towardsSubmit(event) && setErrors((current) => ({ ...current, phone: phoneError(phone) }))}
        />
        <p id="tl-callback-phone-hint" class="tl-hint" part="hint">
          {t('callback.phoneHint', { example })}
        </p>
        {errors.phone && (
          <p id="tl-callback-phone-error" class="tl-error" part="error">
            {errors.phone}
          </p>
        )}
      </div>
      {!open && slots.length > 0 && (
        <div class="tl-field" part="field">
          <label for="tl-callback-slot">{t('callback.slotsLegend')}</label>
          <select id="tl-callback-slot" name="slot" aria-describedby="tl-callback-slot-hint" value={String(slotIndex)} onChange={(event) => setSlotIndex(Number(event.currentTarget.value))}>
            {slots.map((slot, index) => (
              <option key={slot.from.getTime()} value={String(index)}>
                {slotLabel(slot, locale)}
              </option>
            ))}
          </select>
          <p id="tl-callback-slot-hint" class="tl-hint" part="hint">
            {t('callback.slotsHint', { zone: visitorTimeZone() })}
          </p>
        </div>
      )}
      {!open && slots.length === 0 && <p>{t('callback.noSlots')}</p>}
      {consent.shown && (
        <ConsentField
          id="tl-callback-consent"
          rule={consent} checked={agreed} error={errors.consent} onChange={(checked) => (setAgreed(checked), checked && setErrors((current) => ({ ...current, consent: undefined })))}
        />
      )}
      <HoneypotField label={t('callback.honeypotLabel')} inputRef={honeypotRef} />
      {errors.form && (
        <p class="tl-error" role="alert" part="error">
          {errors.form}
        </p>
      )}
      <button type="submit" class="tl-submit" part="submit" disabled={busy}>
        {busy ? t('callback.sending') : t('callback.submit')}
      </button>
    </form>
  );
}
