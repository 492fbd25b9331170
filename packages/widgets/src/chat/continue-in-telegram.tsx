import type { MessengerLink } from '@threadline/core';
import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../icons';
import type { PanelProps } from '../panel-props';

// Fetched again this long before it expires: after the click the visitor still has to press Start in Telegram.
const REFRESH_BEFORE_MS = 60_000;
// A check this often rather than one long timer: a timer sleeps with the laptop, the wall
// clock does not. It also caps requests at one per 30 s however wrong the page's clock is.
const CHECK_EVERY_MS = 30_000;

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
    let current = true;
    let expires = Infinity;
    const fetchLink = async () => {
      // No second request while one is on its way.
      expires = Infinity;
      const result = await client.messengerLink('telegram');
      if (!current) return;
      setFailed(!result.ok);
      // A link that could not be renewed is about to stop working: offer a retry instead.
      setLink(result.ok ? result.value : undefined);
      if (result.ok) expires = Date.parse(result.value.expiresAt);
    };
    const timer = setInterval(() => now() > expires - REFRESH_BEFORE_MS && void fetchLink(), CHECK_EVERY_MS);
    void fetchLink();
    return () => {
      current = false;
      clearInterval(timer);
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
