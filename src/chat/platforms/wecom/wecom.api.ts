import { Logger } from '@nestjs/common';
import type { SecurityClock } from '../../../shared/clock';
import { DeliveryError } from '../../../outbox/delivery';
import { TokenCache } from '../../../outbox/token-cache';

export interface WeComResponse {
  errcode?: number;
  errmsg?: string;
  [k: string]: unknown;
}

/** Busy, frequency and concurrency limits: try again later (PLATFORMS.md "Errors/limits"). */
const RETRY = new Set([-1, 45009, 45033]);
const TOKEN_INVALID = new Set([40014, 42001]);
const REASONS: Record<number, string> = {
  60020: '服务器IP不在企业微信可信IP列表中',
  81013: '接收人全部无效',
  40058: '参数不合法',
  48002: '接口未授权',
  60011: '应用无权限（可见范围）',
};

/**
 * The self-built app's side of the WeCom API. The access token is cached a little under its life and fetched
 * again once on 40014/42001; every errcode is sorted into retry or permanent for the outbox.
 */
export class WeComApi {
  private readonly log = new Logger('wecom-api');
  private readonly tokens: TokenCache;

  constructor(
    private readonly apiBase: string,
    private readonly corpId: string,
    private readonly secret: string,
    clock: SecurityClock,
  ) {
    this.tokens = new TokenCache(clock, async () => {
      const url = `${this.apiBase}/cgi-bin/gettoken?corpid=${encodeURIComponent(this.corpId)}&corpsecret=${encodeURIComponent(this.secret)}`;
      const body = await this.request(url, { method: 'GET' });
      if (body.errcode || typeof body.access_token !== 'string') throw this.classify('gettoken', body);
      return { value: body.access_token, lifeSeconds: Number(body.expires_in ?? 7200) };
    });
  }

  accessToken(force = false): Promise<string> {
    return this.tokens.get(force);
  }

  async call(path: string, payload: unknown): Promise<WeComResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const body = await this.request(`${this.apiBase}${path}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(payload),
      });
      if (!body.errcode) return body;
      if (TOKEN_INVALID.has(body.errcode) && attempt === 0) {
        this.log.warn(JSON.stringify({ event: 'wecom_token_refresh', path, errcode: body.errcode }));
        continue;
      }
      throw this.classify(path, body);
    }
  }

  /**
   * Issue 15, web authorisation: who came back from the authorize page with this code (`GET /cgi-bin/auth/getuserinfo`):
   * a member's userid, an outsider's openid, or 'bad_code' (40029: unknown, used, or past its 5 minutes).
   */
  async userByOAuthCode(code: string): Promise<{ userId: string } | { openId: string } | 'bad_code'> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const body = await this.request(`${this.apiBase}/cgi-bin/auth/getuserinfo?access_token=${encodeURIComponent(token)}&code=${encodeURIComponent(code)}`, {
        method: 'GET',
      });
      if (!body.errcode && typeof body.userid === 'string' && body.userid) return { userId: body.userid };
      if (!body.errcode && typeof body.openid === 'string') return { openId: body.openid };
      if (body.errcode === 40029) return 'bad_code';
      if (body.errcode && TOKEN_INVALID.has(body.errcode) && attempt === 0) continue;
      throw this.classify('auth/getuserinfo', body);
    }
  }

  /** A group webhook robot (send-only, 20 a minute). */
  async webhook(url: string, payload: unknown): Promise<void> {
    const body = await this.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
    if (body.errcode === 45009) throw new DeliveryError('retry', `企业微信群机器人限流（45009 ${body.errmsg ?? ''}）`, 60_000 + Math.random() * 10_000);
    if (body.errcode) throw this.classify('webhook/send', body);
  }

  /** A 智能机器人 message's response_url: single use, so a failure there is final. */
  async responseUrl(url: string, payload: unknown): Promise<void> {
    const body = await this.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
    if (body.errcode) throw new DeliveryError('permanent', `企业微信 response_url ${body.errcode} ${(body.errmsg ?? '').split(', hint')[0]}`);
  }

  classify(path: string, body: WeComResponse): DeliveryError {
    const code = body.errcode ?? 0;
    const what = `企业微信 ${path} ${code} ${REASONS[code] ?? ''} ${(body.errmsg ?? '').split(', hint')[0]}`.replace(/\s+/g, ' ').trim();
    if (RETRY.has(code)) return new DeliveryError('retry', what, code === 45009 ? 60_000 : 2_000 + Math.random() * 2_000);
    if (TOKEN_INVALID.has(code)) return new DeliveryError('retry', what);
    return new DeliveryError('permanent', what);
  }

  private async request(url: string, init: RequestInit): Promise<WeComResponse> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (e) {
      throw new DeliveryError('retry', `企业微信网络错误：${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status >= 500) throw new DeliveryError('retry', `企业微信 HTTP ${res.status}`);
    const text = await res.text();
    try {
      return JSON.parse(text) as WeComResponse;
    } catch {
      throw new DeliveryError('retry', `企业微信返回了非 JSON 内容（HTTP ${res.status}）`);
    }
  }
}
