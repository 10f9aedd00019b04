import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * DingTalk HTTP callback signature (PLATFORMS.md): sign = base64(HMAC_SHA256(key=appSecret, timestamp + "\n" + appSecret)),
 * timestamp in ms. Pure: `now` is a parameter; compared in constant time.
 *
 * Freshness (issue 11 D11): DingTalk documents one hour either side for the robot's signature, but the signature covers
 * only the timestamp, so a captured pair authenticates any body for as long as we accept it. DingTalk posts the
 * callback as the message is sent, so we accept 5 minutes either side (room for clock drift and a slow delivery) and
 * record every accepted signature until then (ReplayGuard), so that each pair serves one body only.
 */
export const CALLBACK_FRESHNESS_MS = 5 * 60_000;

export function dingtalkSign(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

export function verifyDingTalkSignature(
  headers: { timestamp?: string; sign?: string },
  secret: string,
  nowMs: number,
  windowMs = CALLBACK_FRESHNESS_MS,
): SignatureCheck {
  const { timestamp, sign } = headers;
  if (!timestamp || !sign || !/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  if (Math.abs(nowMs - Number(timestamp)) > windowMs) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(dingtalkSign(timestamp, secret));
  const given = Buffer.from(sign);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/** Card callbacks over HTTP: x-ddpaas-signature = base64(HMAC_SHA256(apiSecret, timestamp)), the same window. */
export function verifyCardCallbackSignature(
  headers: { timestamp?: string; signature?: string },
  apiSecret: string,
  nowMs: number,
  windowMs = CALLBACK_FRESHNESS_MS,
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  if (Math.abs(nowMs - Number(timestamp)) > windowMs) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(createHmac('sha256', apiSecret).update(timestamp).digest('base64'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
