import type { AppConfig } from '../config/app.config';
import type { Clock } from '../shared/clock';
import { itemPageUrl } from './item-link.rules';

/** Issue 14: what a card's 查看详情 opens — the item's mobile page, signed and valid 30 days from when it is sent. */
export const itemLinker =
  (config: Pick<AppConfig, 'publicBaseUrl' | 'linkSecret'>, clock: Pick<Clock, 'now'>) =>
  (number: string): string =>
    itemPageUrl(config.publicBaseUrl, config.linkSecret, number, clock.now());

/**
 * What 查看详情 on a card opens: a decision card that carries a link of its own (a 通报's 全文 under review, signed by
 * bulletins) opens that; any other card the item's mobile page.
 */
export function cardLink(card: { number: string; kind: string; facts?: readonly { value: string }[] }, itemLink: (number: string) => string): string {
  const own = card.kind === 'decision' ? card.facts?.find((f) => /^https?:\/\/\S+$/.test(f.value))?.value : undefined;
  return own ?? itemLink(card.number);
}
