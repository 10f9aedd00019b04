import { createHmac } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { SecurityClock } from '../../../shared/clock';
import type { DingTalkConfig } from '../../../config/app.config';
import { DeliveryError } from '../../../outbox/delivery';
import { TokenCache } from '../../../outbox/token-cache';

interface ApiError {
  code?: string;
  message?: string;
  errcode?: number;
  errmsg?: string;
}

/** Custom-robot answers that mean "too fast" (seen as 410100, 130101 and 660026); the robot then stays throttled 10 minutes. */
const WEBHOOK_THROTTLE = new Set([410100, 130101, 660026]);

/**
 * DingTalk's OpenAPI as this service uses it. Tokens are cached a little under their life and refreshed once on an
 * auth error; every failure is classified for the outbox: throttles and busy answers retry, the rest are permanent.
 */
export class DingTalkApi {
  private readonly log = new Logger('dingtalk-api');
  private readonly tokens: TokenCache;

  constructor(
    private readonly cfg: DingTalkConfig,
    private readonly clock: SecurityClock,
  ) {
    this.tokens = new TokenCache(clock, async () => {
      const res = await this.fetch(`${this.cfg.apiBase}/v1.0/oauth2/accessToken`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ appKey: this.cfg.clientId, appSecret: this.cfg.clientSecret }),
      });
      const body = (await res.json().catch(() => ({}))) as { accessToken?: string; expireIn?: number } & ApiError;
      if (!res.ok || !body.accessToken)
        throw new DeliveryError('permanent', `钉钉获取 accessToken 失败：${res.status} ${body.code ?? ''} ${body.message ?? ''}`.trim());
      return { value: body.accessToken, lifeSeconds: body.expireIn ?? 7200 };
    });
  }

  accessToken(force = false): Promise<string> {
    return this.tokens.get(force);
  }

  /** New-style API call with the token header; one refresh on an auth error. */
  async call<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const res = await this.fetch(`${this.cfg.apiBase}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'x-acs-dingtalk-access-token': token },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      const json = (text ? safeJson(text) : {}) as T & ApiError;
      if (res.ok) return json;
      const code = json.code ?? '';
      if ((res.status === 401 || code === 'InvalidAuthentication') && attempt === 0) {
        this.log.warn(JSON.stringify({ event: 'dingtalk_token_refresh', path }));
        continue;
      }
      throw classify(res.status, code, json.message ?? text.slice(0, 200), path);
    }
  }

  /**
   * Issue 15, 免登: the user behind a JSAPI auth code (`POST {oapi}/topapi/v2/user/getuserinfo?access_token=` `{code}`).
   * 'bad_code' when DingTalk does not know it (40078: unknown, used, or past its 5 minutes); a DeliveryError when
   * DingTalk cannot be reached or refuses for another reason.
   */
  async userByAuthCode(code: string): Promise<{ userId: string; name: string } | 'bad_code'> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const res = await this.fetch(`${this.cfg.oapiBase}/topapi/v2/user/getuserinfo?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      const json = (await res.json().catch(() => ({}))) as ApiError & { result?: { userid?: string; name?: string } };
      if (res.ok && json.errcode === 0 && json.result?.userid) return { userId: json.result.userid, name: json.result.name ?? '' };
      if (json.errcode === 40078) return 'bad_code';
      if ((json.errcode === 40014 || json.errcode === 42001) && attempt === 0) continue;
      throw new DeliveryError(res.status >= 500 ? 'retry' : 'permanent', `钉钉免登失败：${res.status} ${json.errcode ?? ''} ${json.errmsg ?? ''}`.trim());
    }
  }

  /** A custom robot's webhook (加签): HMAC-SHA256 over "timestamp\nsecret", errors as HTTP 200 {errcode}. */
  async webhook(url: string, secret: string | null, body: unknown): Promise<void> {
    const u = new URL(url);
    if (secret) {
      const ts = String(this.clock.now().getTime());
      u.searchParams.set('timestamp', ts);
      u.searchParams.set('sign', createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64'));
    }
    const res = await this.fetch(u.toString(), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json().catch(() => ({}))) as ApiError;
    if (res.ok && (json.errcode ?? 0) === 0) return;
    if (WEBHOOK_THROTTLE.has(json.errcode ?? -1))
      throw new DeliveryError('retry', `钉钉群机器人限流（${json.errcode} ${json.errmsg ?? ''}）`, 600_000 + Math.random() * 30_000);
    if (res.status >= 500) throw new DeliveryError('retry', `钉钉群机器人 ${res.status}`);
    throw new DeliveryError('permanent', `钉钉群机器人拒收：${json.errcode ?? res.status} ${json.errmsg ?? ''}`.trim());
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (e) {
      throw new DeliveryError('retry', `钉钉网络错误：${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** PLATFORMS.md: 403 QpsLimit → back off and retry; ApiCountLimitForOrg → monthly quota, do not retry; 5xx/system.busy → retry. */
export function classify(status: number, code: string, message: string, path: string): DeliveryError {
  const what = `钉钉 ${path} ${status} ${code} ${message}`.trim();
  if (code.includes('QpsLimit')) return new DeliveryError('retry', what, 1000 + Math.random() * 1000);
  if (code.includes('ApiCountLimit')) return new DeliveryError('permanent', what);
  if (status >= 500 || code === 'system.busy' || status === 429) return new DeliveryError('retry', what);
  if (status === 401 || code === 'InvalidAuthentication') return new DeliveryError('retry', what);
  return new DeliveryError('permanent', what);
}
