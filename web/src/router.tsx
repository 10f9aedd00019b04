import { type MouseEvent, type ReactNode, useSyncExternalStore } from 'react';

/** A small router on the History API: the console has a handful of pages, so no routing library. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === currentHref()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

const currentHref = () => window.location.pathname + window.location.search;

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export interface Place {
  /** Decoded: /登录, /items/DB2026-0001 */
  path: string;
  search: URLSearchParams;
  href: string;
}

export function useLocation(): Place {
  const href = useSyncExternalStore(subscribe, currentHref);
  const url = new URL(href, window.location.origin);
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    /* a malformed path stays as it is and finds no page */
  }
  return { path: path.length > 1 ? path.replace(/\/+$/, '') : path, search: url.searchParams, href };
}

/** `/items/:number` against `/items/DB2026-0001` → { number: 'DB2026-0001' }. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = s[i];
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** Where to go after signing in: only a path of this console, never another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className}>
      {children}
    </a>
  );
}
