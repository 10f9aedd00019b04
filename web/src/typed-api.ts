import { api, query } from './api';
import type { Paths, QueryOf, ResponseOf } from './api.gen';

/** The paths the service answers with GET (from web/src/api.gen.ts, generated from /api/docs-json). */
export type GetPath = { [P in keyof Paths]: 'get' extends keyof Paths[P] ? P : never }[keyof Paths];

/**
 * A GET typed by the service's own OpenAPI document: the answer's type comes with the path, so a changed endpoint
 * (after `npm run api:types`) breaks the page that reads it at compile time.
 */
export function apiGet<P extends GetPath>(path: P, params?: QueryOf<P, 'get'>, opts: { signal?: AbortSignal } = {}): Promise<ResponseOf<P, 'get'>> {
  return api<ResponseOf<P, 'get'>>(`${path}${params ? query(params as Record<string, string | number | undefined>) : ''}`, { signal: opts.signal });
}
