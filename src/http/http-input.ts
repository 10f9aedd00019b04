/**
 * Issue 11 (defect 9): what the service accepts as a request body or a numeric query parameter, checked once for every
 * route before any handler (and before authentication, so it must stay cheap): the size, the nesting depth of JSON,
 * the content type, and integers in the query string.
 */
import { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, invalid } from '../shared/errors';

/** JSON bodies: the biggest legitimate one (a JSON directory import) is far below this. */
export const JSON_BODY_LIMIT = '2mb';
/** Deeper JSON than this is refused before it is parsed (a 通报 draft, the deepest legitimate body, has depth 6). */
export const MAX_JSON_DEPTH = 32;

/** Thrown from the body parser's `verify` hook: the nesting depth is counted on the raw bytes, without parsing. */
export class TooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
  readonly expose = true;
  constructor() {
    super('JSON nested too deeply');
  }
}

/** The deepest nesting of `[` and `{` outside strings, stopping as soon as it passes `max`. One pass over the bytes. */
export function jsonDepthExceeds(buf: Buffer, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** body-parser's `verify` hook for JSON. */
export function verifyJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf)) throw new TooDeepError();
}

/** Routes that take a body other than JSON: the directory import (a multipart .xlsx), A2 documents (any file), the platforms' callbacks. */
const NON_JSON_BODY: { path: RegExp; types: (type: string) => boolean }[] = [
  { path: /^\/api\/import\/?$/, types: (t) => t === 'multipart/form-data' },
  { path: /^\/api\/accountability\/clues\/[^/]+\/documents\/?$/, types: () => true },
  { path: /^\/callbacks\//, types: () => true },
];

/**
 * A request that carries a body must say it is JSON (or what its route takes); anything else — XML with a DOCTYPE,
 * form posts, unknown types — is 415 before anything reads it. A POST without a body (submit, approve…) passes.
 */
export function requireKnownContentType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody =
    (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0) && req.method !== 'GET' && req.method !== 'HEAD';
  if (!hasBody) return next();
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const special = NON_JSON_BODY.find((r) => r.path.test(req.path));
  if (special) {
    if (special.types(type) || type === 'application/json') return next();
  } else if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return next();
  next(
    new DomainError(
      'HTTP.UNSUPPORTED_TYPE',
      `不支持的提交格式${type ? `（${type.slice(0, 60)}）` : ''}：请以 JSON（Content-Type: application/json）提交；导入通讯录请上传 .xlsx 文件。`,
      'unsupported',
    ),
  );
}

const MAX_ID = 2_147_483_647;

/**
 * A numeric query parameter (an id such as unitId): absent stays undefined; anything but a whole number from 1 to
 * 2147483647 is a 400 naming the parameter — never NaN passed on to a query.
 */
export class OptionalIdPipe implements PipeTransform<unknown, number | undefined> {
  constructor(private readonly opts: { min?: number; max?: number; label?: string } = {}) {}

  transform(value: unknown, meta: ArgumentMetadata): number | undefined {
    if (value === undefined || value === '') return undefined;
    const min = this.opts.min ?? 1;
    const max = this.opts.max ?? MAX_ID;
    const name = this.opts.label ?? meta.data ?? '参数';
    // The global ValidationPipe may already have turned the string into a number (NaN for 'x').
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      throw invalid('QUERY.BAD_NUMBER', `查询参数「${name}」须为 ${min} 到 ${max} 之间的整数，请检查后重试。`, { field: String(meta.data ?? '') });
    return n;
  }
}

/** An id in the query string (unitId…), named in the message as people know it (单位编号). */
export const OptionalId = (label: string) => new OptionalIdPipe({ label });

/** A year in the query string (2000–2100). */
export const OptionalYearPipe = (label: string) => new OptionalIdPipe({ min: 2000, max: 2100, label });

/** Headers on every /public response: nothing in it runs or frames, the type is what it says, the link is not passed on. */
export function publicHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

/** Routes that take a large upload (an .xlsx up to 10 MB, an A2 document up to 10 MB). */
export const UPLOAD_ROUTES = [/^\/api\/import\/?$/, /^\/api\/accountability\/clues\/[^/]+\/documents\/?$/];

/**
 * Before a large upload is read, the caller must be signed in: an anonymous or revoked caller is refused with 401
 * without the body being read into memory (the route's guard checks the roles afterwards, as for every route).
 */
export function requireTokenBeforeUpload(
  resolve: (token: string) => Promise<unknown>,
  /** Issue 15: the console's session, from the request's Cookie header (null: no session cookie in it). */
  resolveSession: (cookieHeader: string) => Promise<unknown> | null = () => null,
) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.method !== 'POST' || !UPLOAD_ROUTES.some((r) => r.test(req.path))) return next();
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const session = m ? null : resolveSession(req.headers.cookie ?? '');
    if (session) {
      session.then(
        (actor) => next(actor ? undefined : new DomainError('AUTH.SESSION_EXPIRED', '登录已过期或已退出，请重新登录督办系统。', 'unauthenticated')),
        (e: unknown) => next(e),
      );
      return;
    }
    if (!m)
      return next(
        new DomainError(
          'AUTH.MISSING_TOKEN',
          '尚未登录：请先登录督办系统再操作（程序调用请在请求头中带上访问令牌：Authorization: Bearer <令牌>）。',
          'unauthenticated',
        ),
      );
    resolve(m[1]).then(
      (actor) => next(actor ? undefined : new DomainError('AUTH.BAD_TOKEN', '访问令牌无效或已吊销，请向管理员重新申请。', 'unauthenticated')),
      (e: unknown) => next(e),
    );
  };
}
