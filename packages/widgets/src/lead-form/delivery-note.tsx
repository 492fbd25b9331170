import { computed } from '@preact/signals-core';
import type { ThreadlineClient } from '@threadline/core';
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { useSignalValue } from '../use-signal-value';

interface DeliveryNoteProps {
  client: ThreadlineClient;
  clientId: string;
  offlineText: string;
  failedText: (reason: string) => string;
  /** The confirmation, shown only once the server has the lead (or while it is on its way online). */
  children: ComponentChildren;
}

/**
 * The confirmation of a lead, or in its place: that an offline visitor's lead is kept and
 * will go out later, or that the server refused it. Core's outbox keeps a lead across
 * reloads and delivers it exactly once; the confirmation shows when the server has
 * acknowledged it (it leaves `client.pending`), never a "we have it" while it waits.
 */
export function DeliveryNote({ client, clientId, offlineText, failedText, children }: DeliveryNoteProps) {
  // Computed signals re-render this note only when its own entry or the connection changes, not on every outbox change.
  const entrySignal = useMemo(() => computed(() => client.pending.value.find((pending) => pending.id === clientId)), [client, clientId]);
  const offlineSignal = useMemo(() => computed(() => client.status.value === 'offline'), [client]);
  const entry = useSignalValue(entrySignal);
  const offline = useSignalValue(offlineSignal) || (typeof navigator !== 'undefined' && navigator.onLine === false);
  if (!entry) return <>{children}</>;
  if (entry.status === 'failed') {
    return (
      <p class="tl-error" part="error">
        {failedText(entry.error?.message ?? '')}
      </p>
    );
  }
  // attempts > 0: a send already failed and the outbox waits to try again.
  if (!offline && entry.attempts === 0) return <>{children}</>;
  return <p part="note">{offlineText}</p>;
}
