import { createHmac } from 'node:crypto';
import { CALLBACK_FRESHNESS_MS, dingtalkSign, verifyDingTalkSignature } from './dingtalk.signature';

const SECRET = 'dingsecret-0123456789';
const NOW = 1_767_225_600_000; // fixed clock

describe('DingTalk HTTP callback signature (PLATFORMS.md, HTTP callback mode)', () => {
  it('is base64(HMAC-SHA256(appSecret, timestamp + "\\n" + appSecret)), computed independently here', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW}\n${SECRET}`).digest('base64');
    expect(dingtalkSign(String(NOW), SECRET)).toBe(expected);
  });

  it('accepts a correct sign within the freshness window (5 minutes), either side of now', () => {
    expect(CALLBACK_FRESHNESS_MS).toBe(300_000);
    for (const ts of [NOW, NOW - 299_000, NOW + 299_000]) {
      expect(verifyDingTalkSignature({ timestamp: String(ts), sign: dingtalkSign(String(ts), SECRET) }, SECRET, NOW)).toEqual({ ok: true });
    }
  });

  it('refuses a stale timestamp even with a correct sign, a forged sign, and missing headers', () => {
    for (const at of [NOW - 301_000, NOW - 30 * 60_000, NOW + 301_000]) {
      const old = String(at);
      expect(verifyDingTalkSignature({ timestamp: old, sign: dingtalkSign(old, SECRET) }, SECRET, NOW)).toEqual({ ok: false, reason: 'stale' });
    }
    expect(verifyDingTalkSignature({ timestamp: String(NOW), sign: dingtalkSign(String(NOW), 'other-secret') }, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyDingTalkSignature({ timestamp: String(NOW), sign: 'short' }, SECRET, NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyDingTalkSignature({ timestamp: String(NOW) }, SECRET, NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyDingTalkSignature({ timestamp: 'abc', sign: 'x' }, SECRET, NOW)).toEqual({ ok: false, reason: 'missing' });
  });
});
