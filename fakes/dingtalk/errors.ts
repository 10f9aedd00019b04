import { randomUUID } from 'node:crypto';
import type { FakeResponse } from './types';

/**
 * Error bodies in DingTalk's two dialects. New APIs (api.dingtalk.com) answer with an HTTP status and
 * {code, message, requestid}; legacy oapi answers HTTP 200 with {errcode, errmsg}.
 */

export function apiError(status: number, code: string, message: string = code): FakeResponse {
  return { status, body: { code, message, requestid: randomUUID().toUpperCase() } };
}

export function oapiError(errcode: number, errmsg: string): FakeResponse {
  return { status: 200, body: { errcode, errmsg, request_id: randomUUID().replace(/-/g, '').slice(0, 12) } };
}

export const errors = {
  invalidAuthentication: () => apiError(400, 'InvalidAuthentication', '不合法的access_token'),
  invalidClientIdOrSecret: () => apiError(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret'),
  qpsLimit: () => apiError(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', '调用该接口触发的限流,请稍后重试'),
  invalidParameter: (message: string) => apiError(400, 'invalidParameter', message),
  notFound: () => apiError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  // oapi: 40014 is DingTalk's "不合法的access_token", also given for an expired one.
  oapiBadToken: () => oapiError(40014, '不合法的access_token'),
  oapiNotFound: () => ({ status: 404, body: { errcode: 404, errmsg: '请求的URI地址不存在' } }),
};

/** UTF-8 size, which is what DingTalk's byte limits (1 KB per card value, 15000 B msgParam) count. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
