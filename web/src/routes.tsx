import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { type Me, startEarly } from './api';
import { ledgerPlace, ledgerRequest } from './pages/ledger/address';
import { match } from './router';

/**
 * Every page of the console, in one table: its address, its menu entry and who sees it. The menu shows a page only
 * to the roles the API lets through (P2–P4); the API refuses the rest anyway, so this is a courtesy, not the guard.
 */
export interface Route {
  /** `/items/:number`: the parts after a colon reach the page as props. */
  path: string;
  /** Also answered at these addresses (English aliases for links typed by hand). */
  aliases?: string[];
  /** In the menu under this label; pages without one are reached by links. */
  menu?: string;
  /** The menu group (侧栏分组) for the office's less frequent pages. */
  group?: string;
  /** Roles that see the menu entry; empty: everyone signed in. `admin` always sees everything. */
  roles: string[];
  /** Only where the service runs the demo (`npm run demo`, issue 16: GET /api/session says `demo`). */
  demo?: boolean;
  page: LazyExoticComponent<ComponentType<Record<string, string>>>;
  /**
   * The GET the page makes first, from its address's query: asked for as the console starts, beside the session check
   * and before the page's code has loaded (api.ts startEarly); the page's own call of that address takes the answer.
   */
  first?: (query: URLSearchParams) => string;
}

// Each page module's default export takes its route parameters as string props.
const load = (f: () => Promise<{ default: ComponentType<never> }>) => lazy(f as () => Promise<{ default: ComponentType<Record<string, string>> }>);

export const ROUTES: Route[] = [
  { path: '/', menu: '工作台', roles: [], page: load(() => import('./pages/DeskPage')) },
  { path: '/立项', aliases: ['/register'], menu: '立项', roles: ['supervisor', 'owner'], page: load(() => import('./pages/RegisterPage')) },
  {
    path: '/台账',
    aliases: ['/ledger'],
    menu: '台账',
    roles: [],
    page: load(() => import('./pages/LedgerPage')),
    first: (query) => ledgerRequest(ledgerPlace(query)),
  },
  { path: '/items/:number', roles: [], page: load(() => import('./pages/ItemPage')) },
  {
    path: '/挂图作战',
    aliases: ['/wall'],
    menu: '挂图作战',
    roles: ['supervisor', 'owner', 'leader', 'unit_contact', 'unit_head'],
    page: load(() => import('./pages/WallPage')),
  },
  { path: '/通报', aliases: ['/bulletins'], menu: '通报', roles: ['supervisor', 'leader'], page: load(() => import('./pages/BulletinsPage')) },
  { path: '/通报/:number', aliases: ['/bulletins/:number'], roles: ['supervisor', 'leader'], page: load(() => import('./pages/BulletinPage')) },
  { path: '/积分', aliases: ['/scores'], menu: '积分', roles: ['supervisor', 'leader', 'owner'], page: load(() => import('./pages/ScoresPage')) },
  { path: '/责任追究', aliases: ['/clues'], menu: '责任追究', roles: ['supervisor', 'leader'], page: load(() => import('./pages/CluesPage')) },
  { path: '/责任追究/:number', aliases: ['/clues/:number'], roles: ['supervisor', 'leader'], page: load(() => import('./pages/CluePage')) },
  { path: '/组织', aliases: ['/org'], menu: '组织', group: '系统', roles: ['supervisor'], page: load(() => import('./pages/OrgPage')) },
  { path: '/提醒策略', aliases: ['/reminders'], menu: '提醒策略', group: '系统', roles: ['supervisor'], page: load(() => import('./pages/RemindersPage')) },
  { path: '/日历', aliases: ['/calendar'], menu: '日历', group: '系统', roles: ['supervisor'], page: load(() => import('./pages/CalendarPage')) },
  { path: '/设置', aliases: ['/settings'], menu: '设置', group: '系统', roles: [], page: load(() => import('./pages/SettingsPage')) },
  { path: '/死信', aliases: ['/dead-letters'], menu: '死信', group: '系统', roles: [], page: load(() => import('./pages/DeadLettersPage')) },
  { path: '/演示', aliases: ['/demo'], menu: '演示', roles: ['supervisor'], demo: true, page: load(() => import('./pages/SimulatorPage')) },
];

/** Whether this person's menu shows the route (`roles: []` with a group: the administrator only). */
export function visibleTo(route: Route, me: Me | null | undefined): boolean {
  if (!me) return false;
  if (route.demo && !me.demo) return false;
  if (me.isAdmin || me.roles.includes('admin')) return true;
  if (route.roles.length === 0) return !route.group;
  return me.roles.some((r) => route.roles.includes(r));
}

/** The page in the address bar asks for its first answer now, if its route names one (the 台账: its first page). */
export function startFirstRequest(location: Location): void {
  let here = location.pathname;
  try {
    here = decodeURIComponent(here).replace(/(.)\/+$/, '$1');
  } catch {
    return; // a malformed address starts nothing
  }
  const route = ROUTES.find((r) => r.first && [r.path, ...(r.aliases ?? [])].some((p) => match(p, here)));
  if (route?.first) startEarly(route.first(new URLSearchParams(location.search)));
}
