import { type MouseEvent, type ReactNode, useEffect, useSyncExternalStore } from 'react';

/** A small router on the History API: the console has a handful of pages, so no routing library. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
const currentHref = () => window.location.pathname + window.location.search;

/**
 * Issue 15: a page with unsaved work asks before the console leaves it. The guard is called with what leaving would
 * do; it calls that once the person agreed (or at once when there is nothing to lose).
 */
export type LeaveGuard = (leave: () => void) => void;
let guard: LeaveGuard | null = null;
/** Where the console is: the address a refused 「back」 returns to. */
let here = currentHref();

function go(to: string, replace: boolean): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  here = currentHref();
  window.scrollTo(0, 0);
  notify();
}

window.addEventListener('popstate', () => {
  const to = currentHref();
  if (guard && to !== here) {
    // The browser already went back: stay on the page until the person agreed, then go where they were going.
    window.history.pushState(null, '', here);
    guard(() => go(to, false));
    return;
  }
  here = to;
  notify();
});

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === currentHref()) return;
  if (guard) guard(() => go(to, !!opts.replace));
  else go(to, !!opts.replace);
}

/**
 * While `ask` is set, leaving the page inside the console (a menu, a link, 「back」) goes through it, and closing or
 * reloading the tab makes the browser ask (its own words: browsers do not show a page's text there).
 */
export function useLeaveGuard(ask: LeaveGuard | null): void {
  useEffect(() => {
    if (!ask) return;
    guard = ask;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ''; // older browsers ask only when this is set
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      if (guard === ask) guard = null;
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [ask]);
}

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
