import type { MessengerLink } from '@threadline/core';
import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../icons';
import type { PanelProps } from '../panel-props';

// Fetched again this long before it expires: after the click the visitor still has to press Start in Telegram.
const REFRESH_BEFORE_MS = 60_000;
// However the page's clock disagrees with the server's, no more than one request per this long.
const MIN_REFRESH_MS = 30_000;

/**
 * "Continue in Telegram": a plain `<a target="_blank">` to a one-time `t.me` link that is
 * fetched when the chat opens and fetched again before it expires. The URL must exist
 * before the click: a window opened after an `await` is no longer the visitor's gesture
 * and popup blockers stop it, and a blank window navigated later loses Telegram's app
 * hand-off on phones. A real link also keeps middle-click, long-press and "copy link".
 */
export function ContinueInTelegram({ client, t, now }: Pick<PanelProps, 'client' | 't' | 'now'>) {
  const [link, setLink] = useState<MessengerLink | undefined>();
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current = true;
    const fetchLink = async () => {
      const result = await client.messengerLink('telegram');
      if (!current) return;
      setFailed(!result.ok);
      // A link that could not be renewed is about to stop working: offer a retry instead.
      setLink(result.ok ? result.value : undefined);
      if (result.ok) timer = setTimeout(fetchLink, Math.max(Date.parse(result.value.expiresAt) - now() - REFRESH_BEFORE_MS, MIN_REFRESH_MS));
    };
    void fetchLink();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [attempt]);

  if (failed)
    return (
      <p class="tl-notice" part="notice" role="alert">
        {t('chat.telegram.failed')}
        <button type="button" onClick={() => setAttempt(attempt + 1)}>
          {t('common.retry')}
        </button>
      </p>
    );
  return link ? (
    <a class="tl-ml" part="messenger-link" href={link.url} target="_blank" rel="noopener">
      <Icon name="send" />
      {t('chat.telegram')}
    </a>
  ) : null;
}
