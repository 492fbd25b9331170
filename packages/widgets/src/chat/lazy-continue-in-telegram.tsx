import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PanelProps } from '../panel-props';

type OfferProps = Pick<PanelProps, 'client' | 't' | 'now'>;

/**
 * "Continue in Telegram", loaded when a site that offers Telegram shows it: the chat of a
 * site without Telegram never downloads it.
 */
export function LazyContinueInTelegram(props: OfferProps) {
  const [Offer, setOffer] = useState<ComponentType<OfferProps>>();
  useEffect(() => {
    let current = true;
    void import('./continue-in-telegram').then((module) => current && setOffer(() => module.ContinueInTelegram));
    return () => {
      current = false;
    };
  }, []);
  return Offer ? <Offer {...props} /> : null;
}
