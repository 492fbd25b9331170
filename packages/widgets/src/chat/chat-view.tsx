import { useRef } from 'preact/hooks';
import { useClosedByHours } from '../closed-by-hours';
import type { PanelProps } from '../panel-props';
import { useSignalValue } from '../use-signal-value';
import { AwayForm } from './away-form';
import { ChatPanel } from './chat-panel';

/**
 * The open chat: the conversation, or what it offers while nobody can answer (no agent online, or
 * outside business hours). Swapping the whole chat for a form hid the team's replies and the history,
 * and moved the focus (issue 4). Now a visitor with a conversation, or a known person, keeps the chat
 * and gets a notice and a contact capture above it, as Chatwoot does ("continuity via email",
 * /work/shared/research/features.md §3.5); only a visitor with neither gets the "leave a message" form
 * (Rocket.Chat's LeaveMessage, Jivo's sendOfflineMessage). Both are chosen once per opening (the panel
 * mounts with each), when known, so that an agent leaving or coming back never swaps what the visitor
 * is typing in; a reply to the left message turns the form into the conversation.
 */
export function ChatView(props: PanelProps) {
  const { client, config, now } = props;
  const agentsOnline = useSignalValue(client.chat.agentsOnline);
  const closedByHours = useClosedByHours(config, now);
  const nobody = agentsOnline === 0 || closedByHours;
  const talking = useSignalValue(client.chat.messages).length > 0;
  const person = useSignalValue(client.person);
  const chosen = useRef<{ form?: boolean; notice?: boolean }>({}).current;
  chosen.form ??= agentsOnline === undefined && !closedByHours ? undefined : nobody && !talking && !person;
  chosen.notice ||= nobody;
  return chosen.form && !talking ? <AwayForm {...props} /> : <ChatPanel {...props}>{chosen.notice && <AwayForm {...props} inChat nobody={nobody} />}</ChatPanel>;
}
