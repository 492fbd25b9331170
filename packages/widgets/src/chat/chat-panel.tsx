import type { ChatItem } from '@threadline/core';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../icons';
import { MessageText } from '../message-text';
import { LazyContinueInTelegram } from './lazy-continue-in-telegram';
import type { PanelProps } from '../panel-props';
import { useSignalValue } from '../use-signal-value';

// The agent sees "typing" within this long of a keystroke, and it ends this long after the last one.
const TYPING_REPEAT_MS = 3000;
const TYPING_STOP_MS = 4000;

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => Array.from(word)[0]!.toUpperCase())
    .join('');

const isVisitor = (item: ChatItem) => item.author.kind === 'visitor';
const lastWhere = (items: ChatItem[], match: (item: ChatItem) => boolean) => {
  for (let index = items.length - 1; index >= 0; index--) if (match(items[index]!)) return items[index];
  return undefined;
};
const keyOf = (item: ChatItem) => item.id ?? item.clientId ?? item.createdAt;

/**
 * The live chat: the thread with delivery states and retry, typing both ways, read receipts.
 * `children` (what the chat offers while nobody can answer) show above the thread, never instead of it.
 */
export function ChatPanel({ children, ...props }: PanelProps & { children?: ComponentChildren }) {
  const { client, config, t, now } = props;
  const messages = useSignalValue(client.chat.messages);
  const offline = useSignalValue(client.status) === 'offline';
  const agentTyping = useSignalValue(client.chat.agentTyping);
  const [draft, setDraft] = useState('');
  const typing = useRef({ since: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined });
  const logRef = useRef<HTMLUListElement>(null);

  const lastBusiness = lastWhere(messages, (item) => !isVisitor(item));
  const lastVisitor = lastWhere(messages, isVisitor);
  // Announced: business messages that arrive while the panel is open, not the history shown on opening.
  const [shownAtOpen] = useState(() => lastBusiness && keyOf(lastBusiness));
  const announcement = lastBusiness && keyOf(lastBusiness) !== shownAtOpen ? t('chat.announce', { name: lastBusiness.author.name ?? t('chat.agent'), text: lastBusiness.text }) : '';

  // Opening fetches what arrived while the page was away (after a reload, too).
  useEffect(() => void client.chat.loadHistory(), []);

  const businessCount = messages.length - messages.filter(isVisitor).length;
  useEffect(() => {
    const markRead = () => document.visibilityState !== 'hidden' && client.chat.markRead();
    markRead();
    document.addEventListener('visibilitychange', markRead);
    return () => document.removeEventListener('visibilitychange', markRead);
  }, [businessCount]);

  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messages.length]);

  const stopTyping = () => {
    clearTimeout(typing.current.timer);
    if (typing.current.since) client.chat.typing(false);
    typing.current.since = 0;
  };
  useEffect(() => stopTyping, []);

  const onInput = (event: Event) => {
    setDraft((event.currentTarget as HTMLTextAreaElement).value);
    if (now() - typing.current.since > TYPING_REPEAT_MS) {
      client.chat.typing(true);
      typing.current.since = now();
    }
    clearTimeout(typing.current.timer);
    typing.current.timer = setTimeout(stopTyping, TYPING_STOP_MS);
  };

  const send = async (event?: Event) => {
    event?.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    stopTyping();
    const result = await client.chat.send(text);
    // Refused before it was queued (too long, storage gone): give the text back.
    if (!result.ok) setDraft(text);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) void send(event);
  };

  const statusLabel = (item: ChatItem) =>
    item.status === 'sending' ? t(offline ? 'chat.status.queued' : 'chat.status.sending') : t(`chat.status.${item.status}`);

  return (
    <>
      {offline && (
        <p class="tl-notice" part="notice" role="status">
          {t('chat.offline')}
        </p>
      )}
      {children}
      <LazyContinueInTelegram config={config} client={client} t={t} now={now} />
      <ul ref={logRef} class="tl-log" part="messages" aria-label={t('chat.messages')}>
        <li class="tl-msg" part="message message-agent" data-author="agent">
          <p class="tl-text">{config.appearance.greeting ?? t('chat.greeting')}</p>
        </li>
        {messages.map((item, index) => {
          const visitor = isVisitor(item);
          const previous = messages[index - 1];
          const name = item.author.name ?? t('chat.agent');
          const newAuthor = !visitor && (!previous || isVisitor(previous) || previous.author.name !== item.author.name);
          const showStatus = visitor && (item === lastVisitor || item.status !== 'sent');
          return (
            <li key={keyOf(item)} class="tl-msg" part={visitor ? 'message message-visitor' : 'message message-agent'} data-author={visitor ? 'visitor' : 'agent'}>
              {newAuthor && (
                <span class="tl-author" part="author">
                  <span class="tl-avatar" part="avatar" aria-hidden="true">
                    {initials(name)}
                  </span>
                  {name}
                </span>
              )}
              <p class="tl-text">
                <span class="tl-sr">{visitor ? `${t('chat.you')}: ` : newAuthor ? '' : `${name}: `}</span>
                <MessageText text={item.text} />
              </p>
              {showStatus && (
                <span class="tl-status" part="status" data-status={item.status}>
                  {statusLabel(item)}
                  {item.status === 'failed' && item.clientId && (
                    <button type="button" part="retry-button" onClick={() => void client.chat.retry(item.clientId!)}>
                      {t('chat.retry')}
                    </button>
                  )}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <p class="tl-typing" part="typing" role="status">
        {agentTyping ? t('chat.typing', { name: agentTyping.name ?? t('chat.agent') }) : ''}
      </p>
      <div class="tl-sr" aria-live="polite">
        {announcement}
      </div>
      <form class="tl-compose" part="composer" onSubmit={send}>
        <label class="tl-sr" for="tl-chat-input">
          {t('chat.inputLabel')}
        </label>
        <textarea
          id="tl-chat-input"
          part="input"
          data-autofocus
          rows={1}
          maxLength={4000}
          placeholder={t('chat.placeholder')}
          value={draft}
          onInput={onInput}
          onKeyDown={onKeyDown}
        />
        <button type="submit" class="tl-send" part="send-button" aria-label={t('chat.send')}>
          <Icon name="send" />
        </button>
      </form>
    </>
  );
}
