/**
 * Issue 14: the 查看详情 link of a card or message opens the item's mobile page, not the API (a 401 on a phone). The link
 * carries its expiry and an HMAC-SHA256 of number and expiry under the server's link secret, so it needs no sign-in and
 * cannot be made for another item or stretched. Pure: the secret and the instant are parameters.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a link in a chat message stays valid. */
export const ITEM_LINK_DAYS = 30;

export const itemLinkSignature = (secret: string, number: string, exp: number): string =>
  createHmac('sha256', secret).update(`item-page\n${number}\n${exp}`).digest('base64url').slice(0, 32);

/** The page's address for `number`, valid ITEM_LINK_DAYS from `now` (expiry in Unix seconds). */
export function itemPageUrl(base: string, secret: string, number: string, now: Date, days = ITEM_LINK_DAYS): string {
  const exp = Math.floor(now.getTime() / 1000) + days * 86_400;
  return `${base}/m/items/${encodeURIComponent(number)}?exp=${exp}&sig=${itemLinkSignature(secret, number, exp)}`;
}

export type LinkCheck = 'ok' | 'expired' | 'bad';

/** A forged or altered link is 'bad'; a genuine one past its expiry is 'expired'. */
export function checkItemLink(secret: string, number: string, exp: unknown, sig: unknown, now: Date): LinkCheck {
  if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string' || sig.length !== 32) return 'bad';
  const expected = Buffer.from(itemLinkSignature(secret, number, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad';
  return Number(exp) * 1000 < now.getTime() ? 'expired' : 'ok';
}
