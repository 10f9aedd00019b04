import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The HMAC recipes DingTalk uses (PLATFORMS.md). They are written out here rather than imported from src/ so the fake
 * stays an independent second implementation: if the adapter and the fake disagree, a test fails.
 */

function hmacSha256Base64(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64');
}

/** HTTP callback mode: headers `timestamp` and `sign` = base64(HMAC_SHA256(appSecret, timestamp + "\n" + appSecret)). */
export function httpCallbackSign(appSecret: string, timestampMs: number | string): string {
  return hmacSha256Base64(appSecret, `${timestampMs}\n${appSecret}`);
}

/** Custom group robot: same recipe with the robot's secret; the caller URL-encodes it into `&sign=`. */
export function webhookSign(secret: string, timestampMs: number | string): string {
  return hmacSha256Base64(secret, `${timestampMs}\n${secret}`);
}

/** Card callbacks over HTTP: `x-ddpaas-signature` = base64(HMAC_SHA256(apiSecret, timestamp)). */
export function cardCallbackSignature(apiSecret: string, timestampMs: number | string): string {
  return hmacSha256Base64(apiSecret, String(timestampMs));
}

/** Constant-time so the fake does not teach an adapter to rely on a leaky comparison. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
