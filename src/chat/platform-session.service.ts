import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { SessionService } from '../auth/session.service';
import type { Actor } from '../shared/actor';
import { SecurityClock } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { IdentityService } from './identity.service';
import { DingTalkApi } from './platforms/dingtalk/dingtalk.api';
import { WeComApi } from './platforms/wecom/wecom.api';
import { checkOAuthState, oauthState, safeNext, type SignInFailure, wecomAuthorizeUrl } from './platform-session.rules';

/** What the console's sign-in page needs to sign in by the platform it is opened in. */
export interface PlatformsView {
  /** 免登 inside DingTalk: the JSAPI to load and the corp id to ask a code for; null when not set up. */
  dingtalk: { corpId: string; jsapiUrl: string } | null;
  /** WeCom's web authorisation is set up (the self-built app). */
  wecom: boolean;
}

/** 404: this service has no sign-in by that platform (not set up). */
const unavailable = (platform: string) =>
  new HttpException(
    { code: 'SESSION.PLATFORM_OFF', message: `督办系统尚未开通${platform}自动登录。请在督办机器人里发送「/登录」取得登录链接，或向督查室要登录令牌。` },
    404,
  );

/**
 * Issue 15: the console signs a person in by the chat platform it is opened in — DingTalk's 免登 (a JSAPI auth code
 * exchanged for the user id) or WeCom's web authorisation (the OAuth2 code) — mapped to a person by their identity (P3),
 * then an ordinary console session (SessionService).
 */
@Injectable()
export class PlatformSessionService {
  private readonly log = new Logger('platform-session');
  private readonly dingtalk: DingTalkApi | null;
  private readonly wecom: WeComApi | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: SecurityClock,
    private readonly identity: IdentityService,
    readonly sessions: SessionService,
  ) {
    const dt = config.dingtalk;
    this.dingtalk = dt?.corpId ? new DingTalkApi(dt, clock) : null;
    const wc = config.wecom;
    this.wecom = wc?.app ? new WeComApi(wc.apiBase, wc.corpId, wc.app.secret, clock) : null;
  }

  platforms(): PlatformsView {
    const dt = this.config.dingtalk;
    return { dingtalk: this.dingtalk && dt ? { corpId: dt.corpId, jsapiUrl: dt.jsapiUrl } : null, wecom: this.wecom !== null };
  }

  /** 免登: the person behind a DingTalk auth code, or a refusal in words (code used or old, not registered, DingTalk down). */
  async dingtalkActor(authCode: string): Promise<Actor> {
    if (!this.dingtalk) throw unavailable('钉钉');
    let user: Awaited<ReturnType<DingTalkApi['userByAuthCode']>>;
    try {
      user = await this.dingtalk.userByAuthCode(authCode);
    } catch (e) {
      this.log.warn(JSON.stringify({ event: 'dingtalk_signin_failed', error: e instanceof Error ? e.message : String(e) }));
      throw new HttpException(
        { code: 'SESSION.PLATFORM_DOWN', message: '暂时连不上钉钉，未能自动登录。请稍后重新打开本页面，或在督办机器人里发送「/登录」取得登录链接。' },
        503,
      );
    }
    if (user === 'bad_code')
      throw new DomainError('SESSION.BAD_AUTH_CODE', '钉钉的免登授权码已使用或已过期（5分钟内有效，只能使用一次）。请重新打开本页面再试。', 'unauthenticated');
    const actor = await this.identity.resolve({ platform: 'dingtalk', corpId: this.config.dingtalk!.corpId, userId: user.userId });
    if (!actor) throw notRegistered('钉钉', user.userId);
    return actor;
  }

  /** Where /api/session/wecom/start sends the browser: WeCom's authorize page, with a state bound to `nonce`. */
  wecomAuthorize(redirectUri: string): { url: string; nonce: string } | null {
    const wc = this.config.wecom;
    if (!this.wecom || !wc?.app) return null;
    const nonce = randomBytes(16).toString('hex');
    return { nonce, url: wecomAuthorizeUrl(wc.oauthBase, wc.corpId, wc.app.agentId, redirectUri, oauthState(this.config.linkSecret, nonce, this.clock.now())) };
  }

  /** The person WeCom sent back, or why not (the sign-in page words the reason). */
  async wecomActor(code: unknown, state: unknown, cookieNonce: string | null): Promise<{ actor: Actor } | { failure: SignInFailure; userId?: string }> {
    if (!this.wecom) return { failure: 'unavailable' };
    if (checkOAuthState(this.config.linkSecret, state, cookieNonce, this.clock.now()) !== 'ok') return { failure: 'state' };
    if (typeof code !== 'string' || code === '' || code.length > 512) return { failure: 'code' };
    let who: Awaited<ReturnType<WeComApi['userByOAuthCode']>>;
    try {
      who = await this.wecom.userByOAuthCode(code);
    } catch (e) {
      this.log.warn(JSON.stringify({ event: 'wecom_signin_failed', error: e instanceof Error ? e.message : String(e) }));
      return { failure: 'unavailable' };
    }
    if (who === 'bad_code') return { failure: 'code' };
    if ('openId' in who) return { failure: 'outsider' };
    const actor = await this.identity.resolve({ platform: 'wecom', corpId: this.config.wecom!.corpId, userId: who.userId });
    return actor ? { actor } : { failure: 'unregistered', userId: who.userId };
  }

  /** The service's own address for WeCom to send the browser back to: DUBAN_PUBLIC_URL when set, else the request's. */
  callbackUrl(requestOrigin: string): string {
    return `${this.config.publicUrlGiven ? this.config.publicBaseUrl : requestOrigin}/api/session/wecom/callback`;
  }

  safeNext(next: unknown): string {
    return safeNext(next);
  }
}

function notRegistered(platform: string, userId: string): DomainError {
  return new DomainError(
    'SESSION.NOT_REGISTERED',
    `您的${platform}账号（用户ID：${userId}）还没有登记到督办系统，暂时不能登录。请把这个用户ID和您的姓名、单位发给督查室（或本单位联络员），登记后重新打开本页面即可。`,
    'forbidden',
    { userId },
  );
}
