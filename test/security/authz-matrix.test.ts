import type { Response } from 'supertest';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { ItemCommandsService } from '../../src/cases/item-commands.service';
import { RegistrationService } from '../../src/cases/registration.service';
import { TokenService } from '../../src/auth/token.service';
import { OrgService } from '../../src/org/org.service';
import { DEFAULT_POLICIES } from '../../src/reminders/reminder.policy';
import { bearer, Org, seedOrg } from '../support/fixtures';
import { StubSimulator } from '../support/stub-simulator';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 11: the authorisation matrix (P2–P4). Every route of the running app — read from Express's router, not from a
 * list kept by hand — must have a rule below, and each route is called as each of seven callers:
 *   anonymous, the admin token, the 督查室 (supervisor), the item's owner (立项主体), its leader, a contact of its lead
 *   unit, a contact of another unit.
 * A caller the rule allows must not be refused (no 401/403, no "does not exist" for a thing that exists, no 5xx);
 * any other caller must be refused: 401 without a token, 403 with one — or, for reads of an item outside the reader's
 * scope (P4), the very 404 a number that does not exist gets. A route added without a rule fails the first test.
 * Commands are checked who-first (item.rules checkAction), so a caller the rule allows may meet a state conflict
 * (409) as the item moves along; that is not a refusal.
 */

const WHO = ['anonymous', 'admin', 'supervisor', 'owner', 'leader', 'leadContact', 'otherContact'] as const;
type Who = (typeof WHO)[number];
const SIGNED_IN: Who[] = ['admin', 'supervisor', 'owner', 'leader', 'leadContact', 'otherContact'];
const ADMIN: Who[] = ['admin'];
const OFFICE: Who[] = ['admin', 'supervisor'];
const OVERSIGHT: Who[] = ['admin', 'supervisor', 'owner', 'leader']; // P4: see every unit
const CLUES: Who[] = ['admin', 'supervisor', 'leader'];
const ITEM_READERS: Who[] = ['admin', 'supervisor', 'owner', 'leader', 'leadContact']; // P4: the item's lead unit, not another unit

interface Fixtures {
  item: string;
  extensionId: number;
  spare: number;
  spareTokenId: number;
  deadLetter: number;
  clue: string;
  document: number;
  bulletin: string;
  spareBulletin: string;
  units: Org['units'];
  leader: number;
  /** Issue 15: a unit, a person, accounts and groups the change and retire routes may use up. */
  spareUnit: number;
  retiree: number;
  spareIdentity: number;
  leaderIdentity: number;
  spareGroup: number;
  doomedGroup: number;
  seq: () => number;
}

interface Call {
  path: string;
  body?: object;
  /** Raw upload (the A2 documents route). */
  raw?: { type: string; data: Buffer };
}

interface Rule {
  /** 'public': no token needed — the guard lets everyone through (the handler may still say no, e.g. a bad signature). */
  allow: Who[] | 'public';
  /** Refused with the 404 of a number that does not exist (P4: existence not revealed). */
  hidden?: Who[];
  call: (f: Fixtures) => Call;
  /** The same route called another way that changes who may call it (e.g. granting a privileged role). */
  also?: { label: string; allow: Who[]; call: (f: Fixtures) => Call }[];
}

const itemCommand = (allow: Who[], cmd: string, body: object = {}): Rule => ({ allow, call: (f) => ({ path: `/api/items/${f.item}/${cmd}`, body }) });

/** METHOD path (as Express knows the route) → who may call it. Order matters only for the item: it moves along. */
const RULES: Record<string, Rule> = {
  'GET /health': { allow: 'public', call: () => ({ path: '/health' }) },
  'GET /api/docs': { allow: 'public', call: () => ({ path: '/api/docs' }) },
  'GET /api/docs/': { allow: 'public', call: () => ({ path: '/api/docs/' }) },
  'GET /api/docs/index.html': { allow: 'public', call: () => ({ path: '/api/docs/index.html' }) },
  'GET /api/docs/LICENSE': { allow: 'public', call: () => ({ path: '/api/docs/LICENSE' }) },
  'GET /api/docs/swagger-ui-init.js': { allow: 'public', call: () => ({ path: '/api/docs/swagger-ui-init.js' }) },
  'GET /api/docs/docs/swagger-ui-init.js': { allow: 'public', call: () => ({ path: '/api/docs/docs/swagger-ui-init.js' }) },
  'GET /api/docs-json': { allow: 'public', call: () => ({ path: '/api/docs-json' }) },
  'GET /api/docs-yaml': { allow: 'public', call: () => ({ path: '/api/docs-yaml' }) },
  'POST /callbacks/dingtalk': { allow: 'public', call: () => ({ path: '/callbacks/dingtalk', body: {} }) },
  'POST /callbacks/dingtalk/card': { allow: 'public', call: () => ({ path: '/callbacks/dingtalk/card', body: {} }) },
  'GET /callbacks/wecom/app': { allow: 'public', call: () => ({ path: '/callbacks/wecom/app?msg_signature=x&timestamp=1&nonce=n&echostr=e' }) },
  'POST /callbacks/wecom/app': { allow: 'public', call: () => ({ path: '/callbacks/wecom/app?msg_signature=x&timestamp=1&nonce=n', body: {} }) },
  'POST /callbacks/wecom/bot': { allow: 'public', call: () => ({ path: '/callbacks/wecom/bot?msg_signature=x&timestamp=1&nonce=n', body: {} }) },
  'GET /public/bulletins/:token': { allow: 'public', call: () => ({ path: '/public/bulletins/no-such-token' }) },
  // Issue 14: 查看详情 on a phone — the signed link is the permission; without it the page is 403 for everyone.
  'GET /m/items/:number': { allow: 'public', call: () => ({ path: '/m/items/DB2026-0001?exp=1&sig=forged' }) },
  'GET /public/bulletins/:token/chart.png': { allow: 'public', call: () => ({ path: '/public/bulletins/no-such-token/chart.png' }) },
  'GET /public/bulletins/review/:number': { allow: 'public', call: (f) => ({ path: `/public/bulletins/review/${f.bulletin}?sig=forged` }) },
  'GET /public/bulletins/review/:number/chart.png': { allow: 'public', call: (f) => ({ path: `/public/bulletins/review/${f.bulletin}/chart.png?sig=forged` }) },

  'GET /api/demo/clock': { allow: ADMIN, call: () => ({ path: '/api/demo/clock' }) },
  'POST /api/demo/clock': { allow: ADMIN, call: () => ({ path: '/api/demo/clock', body: { advanceMinutes: 0 } }) },
  // Issue 16: the demo's chat simulator (demo mode only; here over a stub port) — the 督查室 and admins.
  'GET /api/demo/sim/status': { allow: OFFICE, call: () => ({ path: '/api/demo/sim/status' }) },
  'GET /api/demo/sim/chats': { allow: OFFICE, call: () => ({ path: '/api/demo/sim/chats' }) },
  'GET /api/demo/sim/chats/:chatId/messages': {
    allow: OFFICE,
    call: () => ({ path: `/api/demo/sim/chats/${encodeURIComponent('dingtalk:group:cidSTUB')}/messages` }),
  },
  'GET /api/demo/sim/events': { allow: OFFICE, call: () => ({ path: '/api/demo/sim/events' }) },
  'POST /api/demo/sim/say': {
    allow: OFFICE,
    call: () => ({ path: '/api/demo/sim/say', body: { chatId: 'dingtalk:group:cidSTUB', userId: 'dt-stub', text: '/帮助' } }),
  },
  'POST /api/demo/sim/click': {
    allow: OFFICE,
    call: () => ({ path: '/api/demo/sim/click', body: { chatId: 'dingtalk:group:cidSTUB', userId: 'dt-stub', cardId: 'card', action: 'sign' } }),
  },
  // Issue 16 (time): the planned reminders are read by the simulator's viewers; moving the clock to the next one is an
  // admin's, like POST /api/demo/clock (here the clock is not the demo clock: the admin gets 「演示时钟未启用」, not a refusal).
  'GET /api/demo/sim/reminders': { allow: OFFICE, call: () => ({ path: '/api/demo/sim/reminders?limit=5' }) },
  'POST /api/demo/sim/next-reminder': { allow: ADMIN, call: () => ({ path: '/api/demo/sim/next-reminder', body: {} }) },
  // Issue 16 §5: the guided scenarios (demo mode only) — the 督查室 and admins. Over the stub port (none of the demo's
  // chats) a start is the 409 that says so, not a refusal: nothing is played here.
  'GET /api/demo/scenarios': { allow: OFFICE, call: () => ({ path: '/api/demo/scenarios' }) },
  'GET /api/demo/scenarios/status': { allow: OFFICE, call: () => ({ path: '/api/demo/scenarios/status' }) },
  'GET /api/demo/scenarios/events': { allow: OFFICE, call: () => ({ path: '/api/demo/scenarios/events' }) },
  'POST /api/demo/scenarios/:id/start': { allow: OFFICE, call: () => ({ path: '/api/demo/scenarios/bulletin/start', body: {} }) },
  'POST /api/demo/scenarios/stop': { allow: OFFICE, call: () => ({ path: '/api/demo/scenarios/stop', body: {} }) },

  // P1–P3: the directory. Reading for everyone signed in; keeping it for the 督查室; privileged grants only for admins.
  'GET /api/units': { allow: SIGNED_IN, call: () => ({ path: '/api/units' }) },
  'POST /api/units': { allow: OFFICE, call: (f) => ({ path: '/api/units', body: { code: `M${f.seq()}`, name: `矩阵单位${f.seq()}` } }) },
  'GET /api/people': { allow: SIGNED_IN, call: () => ({ path: '/api/people' }) },
  'GET /api/people/:id': { allow: SIGNED_IN, call: (f) => ({ path: `/api/people/${f.spare}` }) },
  'POST /api/people': {
    allow: OFFICE,
    call: (f) => ({ path: '/api/people', body: { name: '矩阵联络员', roles: [{ role: 'unit_contact', unitId: f.units.lead }] } }),
    also: [
      { label: 'granting a privileged role', allow: ADMIN, call: () => ({ path: '/api/people', body: { name: '矩阵领导', roles: [{ role: 'leader' }] } }) },
    ],
  },
  // R4: binding an office's 分管领导 is privileged (grant.rules): admins only.
  'PUT /api/units/:id/coordinating-leader': {
    allow: ADMIN,
    call: (f) => ({ path: `/api/units/${f.units.other}/coordinating-leader`, body: { coordinatingLeaderId: f.leader } }),
  },
  'PUT /api/people/:id/roles': {
    allow: OFFICE, // a unit contact's roles; a privileged role only from an admin (privilege-escalation.test.ts)
    call: (f) => ({ path: `/api/people/${f.spare}/roles`, body: { roles: [{ role: 'unit_contact', unitId: f.units.lead }] } }),
  },
  'POST /api/people/:id/identities': {
    allow: OFFICE, // a unit contact here; a privileged person's accounts are for admins only (privilege-escalation.test.ts)
    call: (f) => ({ path: `/api/people/${f.spare}/identities`, body: { identities: [{ platform: 'dingtalk', externalUserId: `dt-matrix-${f.seq()}` }] } }),
    also: [
      {
        label: 'to a leader',
        allow: ADMIN,
        call: (f) => ({ path: `/api/people/${f.leader}/identities`, body: { identities: [{ platform: 'wecom', externalUserId: `wx-matrix-${f.seq()}` }] } }),
      },
    ],
  },
  'POST /api/people/:id/tokens': { allow: ADMIN, call: (f) => ({ path: `/api/people/${f.spare}/tokens`, body: {} }) },
  'GET /api/people/:id/tokens': { allow: ADMIN, call: (f) => ({ path: `/api/people/${f.spare}/tokens` }) },
  'POST /api/people/:id/tokens/revoke': { allow: ADMIN, call: (f) => ({ path: `/api/people/${f.spare}/tokens/revoke`, body: {} }) },
  'POST /api/tokens/:id/revoke': { allow: ADMIN, call: (f) => ({ path: `/api/tokens/${f.spareTokenId}/revoke`, body: {} }) },
  // Issue 15: changing and retiring — the same callers as creating; a privileged person only by an admin.
  'PUT /api/units/:id': { allow: OFFICE, call: (f) => ({ path: `/api/units/${f.spareUnit}`, body: { name: `矩阵改名单位${f.seq()}` } }) },
  'POST /api/units/:id/deactivate': { allow: OFFICE, call: (f) => ({ path: `/api/units/${f.spareUnit}/deactivate` }) },
  'POST /api/units/:id/reactivate': { allow: OFFICE, call: (f) => ({ path: `/api/units/${f.spareUnit}/reactivate` }) },
  'GET /api/units/:id/changes': { allow: OFFICE, call: (f) => ({ path: `/api/units/${f.spareUnit}/changes` }) },
  'PUT /api/people/:id': {
    allow: OFFICE,
    call: (f) => ({ path: `/api/people/${f.retiree}`, body: { mobile: `138000000${String(f.seq()).padStart(2, '0')}` } }),
    also: [{ label: 'a leader', allow: ADMIN, call: (f) => ({ path: `/api/people/${f.leader}`, body: { name: '赵副市长' } }) }],
  },
  'POST /api/people/:id/deactivate': { allow: OFFICE, call: (f) => ({ path: `/api/people/${f.retiree}/deactivate` }) },
  'POST /api/people/:id/reactivate': { allow: OFFICE, call: (f) => ({ path: `/api/people/${f.retiree}/reactivate` }) },
  'GET /api/people/:id/changes': { allow: OFFICE, call: (f) => ({ path: `/api/people/${f.retiree}/changes` }) },
  'DELETE /api/people/:id/identities/:identityId': {
    allow: OFFICE, // the first allowed caller removes it; the next finds it gone (404, not a refusal)
    call: (f) => ({ path: `/api/people/${f.retiree}/identities/${f.spareIdentity}` }),
    also: [{ label: 'of a leader', allow: ADMIN, call: (f) => ({ path: `/api/people/${f.leader}/identities/${f.leaderIdentity}` }) }],
  },
  'PUT /api/groups/:id': { allow: OFFICE, call: (f) => ({ path: `/api/groups/${f.spareGroup}`, body: { name: `矩阵改名群${f.seq()}` } }) },
  'DELETE /api/groups/:id': { allow: OFFICE, call: (f) => ({ path: `/api/groups/${f.doomedGroup}` }) },
  'GET /api/groups/:id/changes': { allow: OFFICE, call: (f) => ({ path: `/api/groups/${f.spareGroup}/changes` }) },
  'GET /api/groups': { allow: SIGNED_IN, call: () => ({ path: '/api/groups' }) },
  'POST /api/groups': {
    allow: OFFICE,
    call: (f) => ({ path: '/api/groups', body: { platform: 'dingtalk', externalId: `cidM${f.seq()}`, name: '矩阵群', purpose: 'broadcast' } }),
  },
  'GET /api/import/template.xlsx': { allow: SIGNED_IN, call: () => ({ path: '/api/import/template.xlsx' }) },
  'POST /api/import': {
    allow: OFFICE,
    call: (f) => ({ path: '/api/import', body: { units: [{ code: `IMP${f.seq()}`, name: `导入单位${f.seq()}` }] } }),
    also: [
      {
        label: 'granting 管理员',
        allow: ADMIN,
        call: (f) => ({ path: '/api/import', body: { people: [{ name: '矩阵管理员', roles: '管理员', dingtalkUserId: `dt-admin-${f.seq()}` }] } }),
      },
    ],
  },

  'GET /api/settings': { allow: SIGNED_IN, call: () => ({ path: '/api/settings' }) },
  'PUT /api/settings/:key': { allow: ADMIN, call: () => ({ path: '/api/settings/deadline', body: {} }) },
  'GET /api/calendar/overrides': { allow: SIGNED_IN, call: () => ({ path: '/api/calendar/overrides' }) },
  'PUT /api/calendar/overrides/:date': { allow: ADMIN, call: () => ({ path: '/api/calendar/overrides/2026-05-09', body: { kind: 'workday' } }) },
  'DELETE /api/calendar/overrides/:date': { allow: ADMIN, call: () => ({ path: '/api/calendar/overrides/2026-05-09' }) },
  'GET /api/calendar/working-days': { allow: SIGNED_IN, call: () => ({ path: '/api/calendar/working-days?from=2026-03-02&n=3' }) },
  'GET /api/calendar/days': { allow: SIGNED_IN, call: () => ({ path: '/api/calendar/days?year=2026' }) },
  'GET /api/desk': { allow: SIGNED_IN, call: () => ({ path: '/api/desk' }) }, // each person's own: desk-wall.test.ts
  'GET /api/wall': { allow: SIGNED_IN, call: () => ({ path: '/api/wall' }) }, // each person's own: desk-wall.test.ts
  'GET /api/calendar/coverage': { allow: SIGNED_IN, call: () => ({ path: '/api/calendar/coverage' }) },

  // C1–C6: registration by the 督查室 or an owner; reads within the P4 scope; commands by the item's people.
  'POST /api/items': {
    allow: ['supervisor', 'owner'],
    call: (f) => ({
      path: '/api/items',
      body: { title: '矩阵登记', content: '内容', source: 'other', leaderId: f.leader, leadUnitId: f.units.lead, workingDays: 10 },
    }),
  },
  // Issue 15: the 立项 form's due-date preview — for those who register (an admin is let through by the guard; nothing is written).
  'POST /api/items/deadline-preview': {
    allow: ['admin', 'supervisor', 'owner'],
    call: () => ({ path: '/api/items/deadline-preview', body: { deadlineNode: '7d' } }),
  },
  'GET /api/items': { allow: SIGNED_IN, call: () => ({ path: '/api/items' }) },
  'GET /api/items/:number': { allow: ITEM_READERS, hidden: ['otherContact'], call: (f) => ({ path: `/api/items/${f.item}` }) },
  'GET /api/items/:number/actions': { allow: ITEM_READERS, hidden: ['otherContact'], call: (f) => ({ path: `/api/items/${f.item}/actions` }) },
  'GET /api/items/:number/timeline': { allow: ITEM_READERS, hidden: ['otherContact'], call: (f) => ({ path: `/api/items/${f.item}/timeline` }) },
  'GET /api/items/:number/dossier': { allow: ITEM_READERS, hidden: ['otherContact'], call: (f) => ({ path: `/api/items/${f.item}/dossier` }) },
  'POST /api/items/:number/submit': itemCommand(['supervisor', 'owner'], 'submit'),
  'POST /api/items/:number/decompose': itemCommand(['supervisor', 'owner'], 'decompose', { children: [{ unitId: 1, workingDays: 5 }] }),
  'POST /api/items/:number/assign': itemCommand(['supervisor', 'owner'], 'assign'),
  'POST /api/items/:number/sign': itemCommand(['leadContact'], 'sign'),
  'POST /api/items/:number/reports': itemCommand(['leadContact'], 'reports', { content: '矩阵反馈' }),
  'POST /api/items/:number/return': itemCommand(['owner'], 'return', { reason: '请补充材料' }),
  'POST /api/items/:number/extension-requests': itemCommand(['leadContact'], 'extension-requests', {
    newDeadline: '2026-04-20T18:00:00+08:00',
    reason: '理由',
    plan: '方案',
  }),
  'POST /api/items/:number/extension-requests/:id/approve': {
    allow: ['owner'],
    call: (f) => ({ path: `/api/items/${f.item}/extension-requests/${f.extensionId}/approve`, body: {} }),
  },
  'POST /api/items/:number/extension-requests/:id/refuse': {
    allow: ['owner'],
    call: (f) => ({ path: `/api/items/${f.item}/extension-requests/${f.extensionId}/refuse`, body: { note: '不同意' } }),
  },
  // Issue 14: the lead unit withdraws its own pending extension or closure request.
  'POST /api/items/:number/withdraw': itemCommand(['leadContact'], 'withdraw'),
  // R5: 催办 by the 督查室 or the owner (谁立项、谁督办); 重点督办 set or cleared by the 督查室 only.
  'POST /api/items/:number/urgings': itemCommand(['supervisor', 'owner'], 'urgings', { method: 'phone', contact: '陈主任', record: '对方表示尽快报送' }),
  'PUT /api/items/:number/key-supervision': {
    allow: ['supervisor'],
    call: (f) => ({ path: `/api/items/${f.item}/key-supervision`, body: { on: true, reason: '领导要求' } }),
  },
  'POST /api/items/:number/closure-request': itemCommand(['leadContact'], 'closure-request', { summary: '已办结' }),
  'POST /api/items/:number/review': itemCommand(['owner'], 'review'),
  'POST /api/items/:number/verify': itemCommand(['owner'], 'verify', { method: 'expert_review', passed: true, note: '论证通过' }),
  'POST /api/items/:number/rate': itemCommand(['owner'], 'rate', { rating: 'good' }),
  'POST /api/items/:number/sign-off': itemCommand(['leader'], 'sign-off'),
  'POST /api/items/:number/archive': itemCommand(['supervisor', 'owner'], 'archive'),
  // P2, P4: reassignment by the 督查室 only (the body changes nothing, so the item walks on unchanged: a 400 for the 督查室).
  'POST /api/items/:number/reassign': {
    allow: ['supervisor'],
    call: (f) => ({ path: `/api/items/${f.item}/reassign`, body: { coUnitIds: [f.units.co], reason: '矩阵调整' } }),
  },
  'GET /api/ledger': { allow: SIGNED_IN, call: () => ({ path: '/api/ledger' }) }, // rows scoped: read-scope.test.ts
  'GET /api/ledger/export.xlsx': { allow: SIGNED_IN, call: () => ({ path: '/api/ledger/export.xlsx' }) },
  'GET /api/ledger/year-end': { allow: OVERSIGHT, call: () => ({ path: '/api/ledger/year-end?year=2026' }) }, // 年底清零: every unit's key tasks

  'GET /api/outbox/dead': { allow: ADMIN, call: () => ({ path: '/api/outbox/dead' }) },
  'GET /api/outbox/dead-letters': { allow: ADMIN, call: () => ({ path: '/api/outbox/dead-letters' }) },
  'POST /api/outbox/:id/retry': { allow: ADMIN, call: (f) => ({ path: `/api/outbox/${f.deadLetter}/retry`, body: {} }) },

  'GET /api/reminder-policies': { allow: SIGNED_IN, call: () => ({ path: '/api/reminder-policies' }) },
  'GET /api/reminder-policies/:id/versions': { allow: SIGNED_IN, call: () => ({ path: '/api/reminder-policies/daily/versions' }) },
  'GET /api/reminder-policies/:id/history': { allow: SIGNED_IN, call: () => ({ path: '/api/reminder-policies/daily/history' }) },
  'PUT /api/reminder-policies/:id': { allow: ADMIN, call: () => ({ path: '/api/reminder-policies/daily', body: {} }) },
  'POST /api/reminder-policies/preview': { allow: OFFICE, call: (f) => ({ path: '/api/reminder-policies/preview', body: { number: f.item, days: 1 } }) },
  'POST /api/reminder-policies/preview/changes': {
    allow: OFFICE,
    call: (f) => ({ path: '/api/reminder-policies/preview/changes', body: { policy: DEFAULT_POLICIES[1], number: f.item, days: 1 } }),
  },

  // 激励积分: rankings for the oversight side; a unit's own lines for its people too.
  'GET /api/scores': { allow: OVERSIGHT, call: () => ({ path: '/api/scores' }) },
  'GET /api/scores/units/:unitId': { allow: [...OVERSIGHT, 'leadContact'], call: (f) => ({ path: `/api/scores/units/${f.units.lead}` }) },
  'POST /api/scores/manual': {
    allow: OFFICE,
    call: (f) => ({ path: '/api/scores/manual', body: { rule: 'S4', reason: '市级表彰', unitId: f.units.lead, unitRole: 'lead', date: '2026-03-02' } }),
  },
  'POST /api/scores/quarters/:year/:quarter/close': { allow: OFFICE, call: () => ({ path: '/api/scores/quarters/2025/4/close', body: {} }) },
  'GET /api/scores/recompute': { allow: OFFICE, call: () => ({ path: '/api/scores/recompute' }) },
  'GET /api/score-table': { allow: SIGNED_IN, call: () => ({ path: '/api/score-table' }) },
  'GET /api/score-table/versions': { allow: SIGNED_IN, call: () => ({ path: '/api/score-table/versions' }) },
  'PUT /api/score-table': { allow: ADMIN, call: () => ({ path: '/api/score-table', body: {} }) },

  // 责任追究 (A1–A3): the 督查室 and leaders.
  'GET /api/accountability/clues': { allow: CLUES, call: () => ({ path: '/api/accountability/clues' }) },
  'GET /api/accountability/clues/:number': { allow: CLUES, call: (f) => ({ path: `/api/accountability/clues/${f.clue}` }) },
  'POST /api/accountability/clues': {
    allow: OFFICE,
    call: (f) => ({ path: '/api/accountability/clues', body: { unitId: f.units.other, reason: '矩阵线索' } }),
  },
  'POST /api/accountability/ranking/:year': { allow: OFFICE, call: () => ({ path: '/api/accountability/ranking/2025', body: {} }) },
  'POST /api/accountability/clues/:number/documents': {
    allow: CLUES,
    call: (f) => ({
      path: `/api/accountability/clues/${f.clue}/documents?name=${encodeURIComponent('核查报告.pdf')}`,
      raw: { type: 'application/pdf', data: Buffer.from('%PDF-1.4 matrix') },
    }),
  },
  'GET /api/accountability/documents/:id': { allow: CLUES, call: (f) => ({ path: `/api/accountability/documents/${f.document}` }) },
  'POST /api/accountability/clues/:number/:action': {
    allow: OFFICE,
    call: (f) => ({ path: `/api/accountability/clues/${f.clue}/hand_over`, body: { proposal: '建议约谈' } }),
  },

  // 通报 (B1, B2) and statistics (B4).
  'POST /api/bulletins': { allow: OFFICE, call: () => ({ path: '/api/bulletins', body: { kind: 'monthly', period: '2026-01' } }) },
  'GET /api/bulletins': { allow: CLUES, call: () => ({ path: '/api/bulletins' }) },
  'GET /api/bulletins/:number': { allow: CLUES, call: (f) => ({ path: `/api/bulletins/${f.bulletin}` }) },
  'PUT /api/bulletins/:number/draft': { allow: OFFICE, call: (f) => ({ path: `/api/bulletins/${f.bulletin}/draft`, body: { subtitle: '矩阵' } }) },
  // Issue 14: a draft never submitted may be deleted by the 督查室 (its own spare draft: the others still need theirs).
  'DELETE /api/bulletins/:number': { allow: OFFICE, call: (f) => ({ path: `/api/bulletins/${f.spareBulletin}` }) },
  'POST /api/bulletins/:number/submit': { allow: OFFICE, call: (f) => ({ path: `/api/bulletins/${f.bulletin}/submit`, body: {} }) },
  'POST /api/bulletins/:number/approve': { allow: ['leader'], call: (f) => ({ path: `/api/bulletins/${f.bulletin}/approve`, body: {} }) },
  'POST /api/bulletins/:number/reject': { allow: ['leader'], call: (f) => ({ path: `/api/bulletins/${f.bulletin}/reject`, body: { note: '请修改' } }) },
  'POST /api/bulletins/:number/publish': { allow: OFFICE, call: (f) => ({ path: `/api/bulletins/${f.bulletin}/publish`, body: {} }) },
  'GET /api/bulletins/:number/reproduce': { allow: CLUES, call: (f) => ({ path: `/api/bulletins/${f.bulletin}/reproduce` }) },
  'GET /api/bulletins/:number/docx': { allow: CLUES, call: (f) => ({ path: `/api/bulletins/${f.bulletin}/docx` }) },
  'GET /api/bulletins/:number/chart.png': { allow: CLUES, call: (f) => ({ path: `/api/bulletins/${f.bulletin}/chart.png` }) },
  'GET /api/statistics': { allow: OVERSIGHT, call: () => ({ path: '/api/statistics' }) },
  'GET /api/statistics/export.xlsx': { allow: OVERSIGHT, call: () => ({ path: '/api/statistics/export.xlsx' }) },
  // Issue 15: signing in is open to all (the token or the one-time code in the body is what is checked); who am I needs
  // a token or a session; logging out is never refused.
  'POST /api/session': { allow: 'public', call: () => ({ path: '/api/session', body: { token: 'not-a-token-0123456789' } }) },
  'POST /api/session/link': { allow: 'public', call: () => ({ path: '/api/session/link', body: { code: 'not-a-code' } }) },
  'GET /api/session': { allow: SIGNED_IN, call: () => ({ path: '/api/session' }) },
  'DELETE /api/session': { allow: 'public', call: () => ({ path: '/api/session' }) },
  // Issue 15, signing in by the platform: open to all — the platform's code (and the round trip's signed state) is what is checked.
  'GET /api/session/platforms': { allow: 'public', call: () => ({ path: '/api/session/platforms' }) },
  'POST /api/session/dingtalk': { allow: 'public', call: () => ({ path: '/api/session/dingtalk', body: { authCode: 'not-a-code' } }) },
  'GET /api/session/wecom/start': { allow: 'public', call: () => ({ path: '/api/session/wecom/start?next=%2F' }) },
  'GET /api/session/wecom/callback': { allow: 'public', call: () => ({ path: '/api/session/wecom/callback?code=x&state=y' }) },
};

/** Every route the running app answers, as "METHOD path", read from Express's router stack. */
function routesOf(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  const stack = (express.router ?? express._router)!.stack;
  return stack.flatMap((l) =>
    l.route
      ? Object.keys(l.route.methods)
          .filter((m) => m !== '_all')
          .map((m) => `${m.toUpperCase()} ${l.route!.path}`)
      : [],
  );
}
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

const AUTH_CODES = ['AUTH.MISSING_TOKEN', 'AUTH.BAD_TOKEN', 'AUTH.FORBIDDEN'];

/**
 * Issue 15: the matrix runs twice — with the Bearer header, and with the console's session cookie (signed in with the
 * same token, requests from the console's own origin): same person, same roles, same refusals.
 */
describe.each(['bearer', 'cookie'] as const)('authorisation matrix (%s): every route × seven callers (P2–P4)', (via) => {
  let t: TestApp;
  let org: Org;
  let f: Fixtures;
  const tokens = {} as Record<Who, string | null>;
  const cookies = {} as Record<string, string>;
  let checks = 0;

  beforeAll(async () => {
    t = await startTestApp({ simulator: new StubSimulator() });
    org = await seedOrg(t);
    Object.assign(tokens, {
      anonymous: null,
      admin: ADMIN_TOKEN,
      supervisor: org.supervisor.token,
      owner: org.owner.token,
      leader: org.leader.token,
      leadContact: org.leadContact.token,
      otherContact: org.otherContact.token,
    });
    if (via === 'cookie') for (const who of SIGNED_IN) cookies[tokens[who]!] = await signIn(tokens[who]!);
    const reg = t.get(RegistrationService);
    const cmd = t.get(ItemCommandsService);
    const item = (
      await reg.register(
        {
          title: '矩阵事项',
          content: '内容',
          source: 'meeting',
          ownerId: org.owner.id,
          leaderId: org.leader.id,
          leadUnitId: org.units.lead,
          coUnitIds: [org.units.co],
          deadline: { workingDays: 20 },
        },
        org.supervisor.actor,
      )
    ).number;
    await cmd.assign(item, org.owner.actor);
    await cmd.sign(item, org.leadContact.actor);
    const ext = (await cmd.requestExtension(item, org.leadContact.actor, { newDeadline: new Date('2026-04-30T10:00:00Z'), reason: '理由', plan: '方案' })) as {
      requestId: number;
    };
    const spare = (await t.get(OrgService).createPerson({ name: '备用联络员', roles: [{ role: 'unit_contact', unitId: org.units.lead }] })).id;
    const spareTokenId = (await t.get(TokenService).issue(spare, 'matrix')).id;
    const dead = await t.db.getRepository(OutboxMessage).insert({
      dedupeKey: 'matrix:dead',
      kind: 'bot_reply',
      target: `person:${spare}`,
      platform: null,
      itemId: null,
      payload: {},
      status: 'dead',
      attempts: 1,
      dueAt: t.clock.now(),
      lastError: 'matrix',
    });
    const sup = bearer(org.supervisor);
    const clue = (await t.http().post('/api/accountability/clues').set(sup).send({ unitId: org.units.lead, reason: '矩阵线索' }).expect(201)).body
      .number as string;
    const document = (
      await t
        .http()
        .post(`/api/accountability/clues/${clue}/documents?name=a.pdf`)
        .set(sup)
        .set('Content-Type', 'application/pdf')
        .send(Buffer.from('%PDF'))
        .expect(201)
    ).body;
    const bulletin = (await t.http().post('/api/bulletins').set(sup).send({ kind: 'monthly', period: '2026-02' }).expect(201)).body.number as string;
    const spareBulletin = (await t.http().post('/api/bulletins').set(sup).send({ kind: 'monthly', period: '2026-01' }).expect(201)).body.number as string;
    const orgs = t.get(OrgService);
    const spareUnit = (await orgs.createUnit({ code: 'MSPARE', name: '矩阵备用单位' })).id;
    const retiree = await orgs.createPerson({
      name: '矩阵离岗联络员',
      roles: [{ role: 'unit_contact', unitId: spareUnit }],
      identities: [{ platform: 'dingtalk', externalUserId: 'dt-matrix-retiree' }],
    });
    const leaderIdentity = (await orgs.personView(org.leader.id)).identities.find((i) => i.platform === 'dingtalk')!.id;
    const group = (externalId: string) => orgs.createGroup({ platform: 'dingtalk', externalId, name: '矩阵备用群', purpose: 'broadcast' });
    let n = 0;
    f = {
      spareUnit,
      retiree: retiree.id,
      spareIdentity: retiree.identities[0].id,
      leaderIdentity,
      spareGroup: (await group('cidMSPARE')).id,
      doomedGroup: (await group('cidMDOOMED')).id,
      item,
      extensionId: ext.requestId,
      spare,
      spareTokenId,
      deadLetter: dead.identifiers[0].id as number,
      clue,
      document: (document.id ?? document.document?.id ?? document.documents?.[0]?.id) as number,
      bulletin,
      spareBulletin,
      units: org.units,
      leader: org.leader.id,
      seq: () => ++n,
    };
  });
  afterAll(async () => {
    // The figures for the report: routes × callers actually called.
    const variants = Object.values(RULES).reduce((n, r) => n + (r.also?.length ?? 0), 0);
    console.log(`authz matrix: ${Object.keys(RULES).length} routes (+${variants} variants) × ${WHO.length} callers = ${checks} calls`);
    await t.close();
  });

  it('every route of the running app has a rule, and every rule names a route that exists', () => {
    const routes = routesOf(t);
    expect(routes.length).toBeGreaterThan(50);
    expect({ withoutRule: routes.filter((r) => !RULES[r]), ruleWithoutRoute: Object.keys(RULES).filter((r) => !routes.includes(r)) }).toEqual({
      withoutRule: [],
      ruleWithoutRoute: [],
    });
  });

  async function send(method: string, call: Call, token: string | null): Promise<Response> {
    const http = t.http();
    let req = (http as unknown as Record<string, (p: string) => ReturnType<typeof http.get>>)[method.toLowerCase()](call.path);
    if (token && via === 'bearer') req = req.set('Authorization', `Bearer ${token}`);
    // Logging out ends the session it is called with: that call gets a session of its own.
    const logout = method === 'DELETE' && call.path === '/api/session';
    if (token && via === 'cookie') req = req.set('Cookie', logout ? await signIn(token) : cookies[token]).set('Origin', 'http://localhost:3000');
    if (call.raw) return req.set('Content-Type', call.raw.type).send(call.raw.data);
    if (call.body !== undefined) return req.send(call.body);
    return req;
  }

  async function signIn(token: string): Promise<string> {
    const r = await t.http().post('/api/session').send({ token }).expect(200);
    return ([] as string[]).concat(r.headers['set-cookie'])[0]!.split(';')[0]!;
  }

  const refused = (r: Response) => r.status === 401 || r.status === 403 || (r.status === 404 && r.body?.code === 'CASE.NOT_FOUND');

  it.each(Object.keys(RULES))('%s', async (key) => {
    const method = key.split(' ')[0];
    const wrong: string[] = [];
    for (const rule of [RULES[key], ...(RULES[key].also ?? [])]) wrong.push(...(await check(method, rule)));
    expect(wrong).toEqual([]);
  });

  async function check(method: string, rule: Pick<Rule, 'allow' | 'hidden' | 'call'> & { label?: string }): Promise<string[]> {
    const order = [...WHO].sort(
      (a, b) => Number(rule.allow !== 'public' && rule.allow.includes(a)) - Number(rule.allow !== 'public' && rule.allow.includes(b)),
    );
    const wrong: string[] = [];
    const as = (who: Who) => (rule.label ? `${who} (${rule.label})` : who);
    for (const who of order) {
      const r = await send(method, rule.call(f), tokens[who]);
      checks++;
      const got = `${r.status} ${r.body?.code ?? ''}`.trim();
      if (rule.allow === 'public') {
        if (AUTH_CODES.includes(r.body?.code) || r.status >= 500) wrong.push(`${as(who)}: public route answered ${got}`);
      } else if (rule.allow.includes(who)) {
        if (refused(r) || r.status >= 500) wrong.push(`${as(who)}: should pass, got ${got} ${r.body?.message ?? ''}`);
      } else if (rule.hidden?.includes(who)) {
        if (r.status !== 404 || r.body?.code !== 'CASE.NOT_FOUND') wrong.push(`${as(who)}: should get the not-found answer, got ${got}`);
      } else if (who === 'anonymous') {
        if (r.status !== 401) wrong.push(`${as(who)}: should get 401, got ${got}`);
      } else if (r.status !== 403) {
        wrong.push(`${as(who)}: should get 403, got ${got}`);
      }
    }
    return wrong;
  }
});
