import type { AppConfig } from '../config/app.config';
import type { Clock } from '../shared/clock';
import { itemPageUrl } from './item-link.rules';

/** Issue 14: what a card's 查看详情 opens — the item's mobile page, signed and valid 30 days from when it is sent. */
export const itemLinker =
  (config: Pick<AppConfig, 'publicBaseUrl' | 'linkSecret'>, clock: Pick<Clock, 'now'>) =>
  (number: string): string =>
    itemPageUrl(config.publicBaseUrl, config.linkSecret, number, clock.now());
