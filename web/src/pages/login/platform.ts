import { api, type Me } from '../../api';

/** Issue 15: which chat platform's browser the console is opened in, and signing in by it. */
export type Platform = 'dingtalk' | 'wecom';

export interface Platforms {
  dingtalk: { corpId: string; jsapiUrl: string } | null;
  wecom: boolean;
}

/** WeCom's browser says "wxwork"; DingTalk's "DingTalk". `?dd=1` (or DingTalk's `corpId`) on the page or the next one asks for 免登 too. */
export function detectPlatform(userAgent: string, search: URLSearchParams, next: string): Platform | null {
  if (/wxwork/i.test(userAgent)) return 'wecom';
  if (/DingTalk/i.test(userAgent)) return 'dingtalk';
  const nextSearch = new URLSearchParams(next.includes('?') ? next.slice(next.indexOf('?') + 1) : '');
  for (const q of [search, nextSearch]) if (q.get('dd') === '1' || q.has('corpId')) return 'dingtalk';
  return null;
}

export const PLATFORM_NAMES: Record<Platform, string> = { dingtalk: '钉钉', wecom: '企业微信' };

/** Where the browser goes to sign in through WeCom's web authorisation (it comes back to `next`, signed in). */
export const wecomStartUrl = (next: string) => `/api/session/wecom/start?next=${encodeURIComponent(next)}`;

interface DdApi {
  runtime?: { permission?: { requestAuthCode?: (o: { corpId: string; onSuccess: (r: { code: string }) => void; onFail: (e: unknown) => void }) => void } };
  getAuthCode?: (o: { corpId: string; success: (r: { code?: string; authCode?: string }) => void; fail: (e: unknown) => void }) => void;
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('script'));
    document.head.appendChild(s);
  });
}

export class PlatformFailure extends Error {}

/** 免登: DingTalk's JSAPI gives an auth code for whoever is signed in to DingTalk; the service turns it into a session. */
export async function signInWithDingTalk(p: NonNullable<Platforms['dingtalk']>): Promise<Me> {
  const w = window as unknown as { dd?: DdApi };
  if (!w.dd) {
    try {
      await loadScript(p.jsapiUrl);
    } catch {
      throw new PlatformFailure('未能加载钉钉的登录组件（网络问题，或不在钉钉里打开）。');
    }
  }
  const dd = w.dd;
  const code = await new Promise<string>((resolve, reject) => {
    const fail = () => reject(new PlatformFailure('钉钉没有给出登录授权（可能不在钉钉里打开，或钉钉未登录）。'));
    if (dd?.runtime?.permission?.requestAuthCode) dd.runtime.permission.requestAuthCode({ corpId: p.corpId, onSuccess: (r) => resolve(r.code), onFail: fail });
    else if (dd?.getAuthCode) dd.getAuthCode({ corpId: p.corpId, success: (r) => (r.code || r.authCode ? resolve((r.code || r.authCode)!) : fail()), fail });
    else fail();
  });
  return api<Me>('/api/session/dingtalk', { method: 'POST', body: { authCode: code }, quiet401: true });
}

/** What the sign-in page says when WeCom's round trip came back without a session (`?signin=` from the service). */
export function wecomFailureText(reason: string, userId: string | null): { title: string; text: string; registered: boolean } {
  switch (reason) {
    case 'unregistered':
      return {
        title: '您的企业微信账号还没有登记到督办系统',
        text: userId
          ? '请把下面的用户ID和您的姓名、单位发给督查室（或本单位联络员）。登记后重新打开本页面，即可自动登录。'
          : '请把您的姓名、单位发给督查室（或本单位联络员）。登记后重新打开本页面，即可自动登录。',
        registered: false,
      };
    case 'outsider':
      return { title: '您不是本单位企业微信的成员', text: '督办系统只对本单位企业微信的成员开放。如需使用，请联系督查室。', registered: false };
    case 'code':
      return { title: '企业微信登录没有完成', text: '企业微信的授权已使用或已过期（5分钟内有效）。请点「重新用企业微信登录」再试。', registered: true };
    case 'state':
      return { title: '企业微信登录没有完成', text: '登录等待太久，或不是从督办系统发起的。请点「重新用企业微信登录」再试。', registered: true };
    default:
      return { title: '暂时无法用企业微信登录', text: '督办系统尚未开通企业微信登录，或暂时连不上企业微信。', registered: true };
  }
}
