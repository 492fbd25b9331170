import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PanelProps } from '../panel-props';
import { useSignalValue } from '../use-signal-value';

type OfferProps = Pick<PanelProps, 'client' | 't' | 'now'>;

/**
 * "Continue in Telegram" where the site offers Telegram and the visitor allows storage (the
 * link is tied to this browser's visitor), loaded only then: the chat of a site without
 * Telegram never downloads it.
 */
export function LazyContinueInTelegram({ config, ...props }: OfferProps & Pick<PanelProps, 'config'>) {
  const storageAllowed = useSignalValue(props.client.storageAllowed);
  const offered = Boolean(config.messengers?.telegram) && storageAllowed;
  const [Offer, setOffer] = useState<ComponentType<OfferProps>>();
  useEffect(() => {
    let current = true;
    if (offered) void import('./continue-in-telegram').then((module) => current && setOffer(() => module.ContinueInTelegram));
    return () => {
      current = false;
    };
  }, [offered]);
  return offered && Offer ? <Offer {...props} /> : null;
}
