/**
 * B3: the 台账's address and the request it makes, in one place with no imports, so that the console's start-up
 * (routes.tsx, the route's first request) can ask for the first page of a 台账 opened by its address before the
 * page's own code has loaded.
 */

/** The filters the address bar carries, in the order the request names them. */
export const FILTERS = ['unitId', 'source', 'board', 'state', 'light', 'registeredFrom', 'registeredTo', 'keyword'] as const;
export type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export const DEFAULT_PAGE_SIZE = 50;

export interface LedgerPlace {
  filters: Filters;
  page: number;
  pageSize: number;
}

/** What the address bar (`?unitId=3&page=2`) asks for, defaults filled in. */
export function ledgerPlace(search: URLSearchParams): LedgerPlace {
  const filters: Filters = {};
  for (const k of FILTERS) {
    const v = search.get(k);
    if (v) filters[k] = v;
  }
  return {
    filters,
    page: Number(search.get('page') ?? '1') || 1,
    pageSize: Number(search.get('pageSize') ?? String(DEFAULT_PAGE_SIZE)) || DEFAULT_PAGE_SIZE,
  };
}

/** The filled parameters only, as a query string (as api.ts's `query`, which this file may not import). */
function queryOf(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The API request for that page of the 台账: `/api/ledger?light=red&page=1&pageSize=50`. */
export function ledgerRequest({ filters, page, pageSize }: LedgerPlace): string {
  return `/api/ledger${queryOf({ ...filters, page, pageSize })}`;
}
