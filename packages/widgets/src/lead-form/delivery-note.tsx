import { useComputed } from '@preact/signals';
import type { ThreadlineClient } from '@threadline/core';

interface DeliveryNoteProps {
  client: ThreadlineClient;
  clientId: string;
  offlineText: string;
  failedText: (reason: string) => string;
}

/**
 * Tells an offline visitor that the lead is kept and will go out later, or that the
 * server refused it. Core's outbox keeps a lead across reloads and delivers it exactly
 * once; the note disappears when the server acknowledges it (it leaves `client.pending`).
 */
export function DeliveryNote({ client, clientId, offlineText, failedText }: DeliveryNoteProps) {
  // Computed signals re-render this note alone when the outbox or the connection changes.
  const entry = useComputed(() => client.pending.value.find((pending) => pending.id === clientId)).value;
  const offline = useComputed(() => client.status.value === 'offline').value || (typeof navigator !== 'undefined' && navigator.onLine === false);
  if (!entry) return null;
  if (entry.status === 'failed') {
    return (
      <p class="tl-error" part="error">
        {failedText(entry.error?.message ?? '')}
      </p>
    );
  }
  // attempts > 0: a send already failed and the outbox waits to try again.
  if (!offline && entry.attempts === 0) return null;
  return (
    <p class="tl-note" part="note">
      {offlineText}
    </p>
  );
}
