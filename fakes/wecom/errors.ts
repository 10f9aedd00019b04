import { randomBytes } from 'node:crypto';
import type { FakeResponse } from './types';

/**
 * WeCom answers every API call with HTTP 200 and {errcode, errmsg}; errmsg reads
 * `<text>, hint: [<id>], from ip: <ip>, more info at https://open.work.weixin.qq.com/devtool/query?e=<code>`.
 * Texts from PLATFORMS.md "Errors/limits"; those marked unverified are the fake's best guess.
 */
export const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40008: 'invalid message type',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40056: 'invalid agentid',
  40058: 'invalid Request Parameter',
  41001: 'access_token missing',
  42001: 'access_token expired',
  44004: 'empty content',
  45009: 'api freq out of limit',
  47001: 'data format error',
  45033: 'api concurrent out of limit',
  48002: 'api forbidden',
  60011: 'no privilege to access/modify contact/party/agent',
  60020: 'not allow to access from your ip',
  81013: 'user & party & tag all invalid',
  // unverified: chat-id errors of appchat (86003 "chat not exist", 86215 "chatid already exists").
  86003: 'chat not exist',
  86215: 'chatid already exists',
  // unverified: the webhook errcode for an unknown key.
  93000: 'invalid webhook url',
};

export function errmsg(errcode: number, text: string | undefined, ip: string): string {
  const hint = `${Math.floor(Date.now() / 1000)}${randomBytes(6).toString('hex')}`;
  return `${text ?? ERRMSG[errcode] ?? 'error'}, hint: [${hint}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

export function wecomError(errcode: number, ip: string, text?: string): FakeResponse {
  return { status: 200, body: { errcode, errmsg: errmsg(errcode, text, ip) } };
}

/** 40058 with a detail before the generic text, as in the real capture
 * `markdown.content exceed max length 4096. invalid Request Parameter, hint: …`. */
export function badParam(ip: string, detail: string): FakeResponse {
  return wecomError(40058, ip, `${detail}. invalid Request Parameter`);
}

export function ok(extra: Record<string, unknown> = {}): FakeResponse {
  return { status: 200, body: { errcode: 0, errmsg: 'ok', ...extra } };
}

/** WeCom's limits count UTF-8 bytes (a CJK character is 3). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Cut to at most `max` UTF-8 bytes without splitting a character. */
export function truncateBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = byteLength(ch);
    if (used + n > max) break;
    out += ch;
    used += n;
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
