import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * DingTalk HTTP callback signature (PLATFORMS.md): sign = base64(HMAC_SHA256(key=appSecret, timestamp + "\n" + appSecret)),
 * timestamp in ms, accepted within one hour of now. Pure: `now` is a parameter; compared in constant time.
 */
export function dingtalkSign(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

export function verifyDingTalkSignature(headers: { timestamp?: string; sign?: string }, secret: string, nowMs: number, windowMs = 3_600_000): SignatureCheck {
  const { timestamp, sign } = headers;
  if (!timestamp || !sign || !/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  if (Math.abs(nowMs - Number(timestamp)) > windowMs) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(dingtalkSign(timestamp, secret));
  const given = Buffer.from(sign);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/** Card callbacks over HTTP: x-ddpaas-signature = base64(HMAC_SHA256(apiSecret, timestamp)), same one-hour window. */
export function verifyCardCallbackSignature(headers: { timestamp?: string; signature?: string }, apiSecret: string, nowMs: number, windowMs = 3_600_000): SignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d{10,16}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  if (Math.abs(nowMs - Number(timestamp)) > windowMs) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(createHmac('sha256', apiSecret).update(timestamp).digest('base64'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
