import type { ResponseOf } from './api.gen';

/**
 * The console talks to the same /api as everyone else, with the session cookie (same origin). Errors arrive as
 * `{ code, message }` with a Chinese message; a network failure and a non-JSON answer are told in Chinese here.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems?: { field?: string; message?: string }[],
  ) {
    super(message);
  }
}

export const NETWORK_MESSAGE = '网络连接失败，未能连上督办服务：请检查网络后重试，已填写的内容仍在。';

let onUnauthorized: (() => void) | null = null;
/** The shell says what a lost session (401) does: back to sign-in, then to where the person was. */
export function whenUnauthorized(f: () => void): void {
  onUnauthorized = f;
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in calls answer 401 for a wrong token: that is the form's error, not a lost session. */
  quiet401?: boolean;
}

/**
 * Issue 15: a GET started while the console starts (before the session is checked and the page's code is loaded),
 * for the page in the address bar; the page's own `api()` call of the same address takes its answer, once.
 * Only a 2xx answer is handed over: anything else (not signed in yet, a failure) is asked again as usual.
 */
interface Early {
  answer: Promise<unknown>;
  /** The parsed answer, once it has arrived with 2xx. */
  value?: unknown;
}
const early = new Map<string, Early>();
/** An unclaimed early answer is dropped after this long: a page shown later asks afresh. */
const EARLY_MS = 10_000;

export function startEarly(path: string): void {
  const e: Early = {
    answer: fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((v: unknown) => (e.value = v)),
  };
  e.answer.catch(() => early.delete(path));
  early.set(path, e);
  setTimeout(() => early.delete(path), EARLY_MS);
}

/** The early answer for this address if it has already arrived (the page's first render can show it at once). */
export function earlyAnswer<T>(path: string): T | undefined {
  return early.get(path)?.value as T | undefined;
}

export async function api<T>(path: string, opts: ApiOptions = {}): Promise<T> {
  const pending = (opts.method ?? 'GET') === 'GET' ? early.get(path) : undefined;
  if (pending) {
    early.delete(path);
    try {
      const value = (await pending.answer) as T;
      if (opts.signal?.aborted) throw new DOMException('The request was aborted.', 'AbortError');
      return value;
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      /* not answered with 2xx: asked again below, so a 401 or a failure is handled as for any call */
    }
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
      headers: opts.body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.ok) return body as T;
  const err = (body ?? {}) as { code?: string; message?: string; field?: string; problems?: ApiError['problems'] };
  if (res.status === 401 && !opts.quiet401) onUnauthorized?.();
  throw new ApiError(
    res.status,
    err.code ?? `HTTP.${res.status}`,
    err.message ?? (res.status >= 500 ? `督办服务暂时不可用（HTTP ${res.status}），请稍后重试。` : `请求未成功（HTTP ${res.status}），请刷新页面后重试。`),
    // A refusal about one field names it at the top level; forms read every field error from `problems`.
    err.problems ?? (err.field ? [{ field: err.field, message: err.message }] : undefined),
  );
}

export function messageOf(e: unknown): string {
  return e instanceof ApiError ? e.message : '出现意外错误，请刷新页面后重试。';
}

/** A query string from the filled fields only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface Me {
  personId: number | null;
  name: string;
  roles: string[];
  isAdmin: boolean;
  /** Issue 16: the service runs the demo (`npm run demo`), so the console offers 演示. */
  demo?: boolean;
  /** The service's date (Shanghai, YYYY-MM-DD) when the session was read: "this year" is the service's, not the browser's. */
  today?: string;
}

export interface Ref {
  id: number;
  name: string;
}

export type Light = 'green' | 'yellow' | 'red' | 'done';

/** One page of the 台账 (GET /api/ledger), as the service describes it. */
export type LedgerPage = ResponseOf<'/api/ledger', 'get'>;

/** One row of the 台账: the item as the API shows it, with its latest report's time. */
export type ItemRow = LedgerPage['items'][number];

/** An item with its reports, requests and children (GET /api/items/{number}), as the service describes it. */
export type ItemDetail = ResponseOf<'/api/items/{number}', 'get'>;

/** One event of the 一事一卷 timeline (GET /api/items/{number}/timeline). */
export type TimelineEvent = ResponseOf<'/api/items/{number}/timeline', 'get'>['events'][number];
