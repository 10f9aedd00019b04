import type { Actor } from '../../src/shared/actor';
import { TokenService } from '../../src/auth/token.service';
import type { Role } from '../../src/shared/vocabulary';
import { OrgService } from '../../src/org/org.service';
import type { TestApp } from './test-app';
import { lap } from './timings';

export interface Someone {
  id: number;
  name: string;
  token: string;
  actor: Actor;
}

export interface Org {
  units: { lead: number; co: number; other: number };
  supervisor: Someone; // 督查室, registers
  owner: Someone; // 立项主体 of the items
  leader: Someone; // 分管领导
  otherLeader: Someone;
  leadContact: Someone;
  coContact: Someone;
  otherContact: Someone;
  groups: { lead: number; co: number };
}

/** The cast every item test needs: units, the right people with tokens, a group per unit on each platform. */
export async function seedOrg(t: TestApp): Promise<Org> {
  const started = Date.now();
  const org = t.get(OrgService);
  const tokens = t.get(TokenService);
  const lead = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
  const co = (await org.createUnit({ code: 'CZJ', name: '市财政局' })).id;
  const other = (await org.createUnit({ code: 'JYJ', name: '市教育局' })).id;
  let n = 0;
  const person = async (name: string, roles: { role: Role; unitId?: number }[]): Promise<Someone> => {
    n++;
    const p = await org.createPerson({
      name,
      roles,
      identities: [
        { platform: 'dingtalk', externalUserId: `dt-${n}` },
        { platform: 'wecom', externalUserId: `wx-${n}` },
      ],
    });
    const { token } = await tokens.issue(p.id, 'test');
    return { id: p.id, name, token, actor: (await tokens.actorFor(p.id, 'api'))! };
  };
  const result: Org = {
    units: { lead, co, other },
    supervisor: await person('王督查', [{ role: 'supervisor' }]),
    owner: await person('李秘书长', [{ role: 'owner' }]),
    leader: await person('赵副市长', [{ role: 'leader' }]),
    otherLeader: await person('钱副市长', [{ role: 'leader' }]),
    leadContact: await person('陈联络', [{ role: 'unit_contact', unitId: lead }]),
    coContact: await person('吴联络', [{ role: 'unit_contact', unitId: co }]),
    otherContact: await person('孙联络', [{ role: 'unit_contact', unitId: other }]),
    groups: {
      lead: (await org.createGroup({ platform: 'dingtalk', externalId: 'cidLEAD', name: '发改委督办群', unitId: lead, purpose: 'unit' })).id,
      co: (await org.createGroup({ platform: 'wecom', externalId: 'wrCO', name: '财政局督办群', unitId: co, purpose: 'unit' })).id,
    },
  };
  lap('organisation seeded', started);
  return result;
}

export const bearer = (s: Someone | string) => ({ Authorization: `Bearer ${typeof s === 'string' ? s : s.token}` });

/** One person of a cast: a name, roles (a unit by its code), and the platform accounts that identify them (P3). */
export interface CastPerson<U extends string> {
  name: string;
  roles: { role: Role; unit?: U }[];
  dingtalk?: string;
  wecom?: string;
}

/** Units by code, the chat groups bound to them, and the people — as a test file needs them, nothing more. */
export interface CastSpec<U extends string, P extends string> {
  units: Record<U, string>;
  groups?: { platform: 'dingtalk' | 'wecom'; externalId: string; name: string; unit?: U; purpose?: 'unit' | 'broadcast'; webhookUrl?: string }[];
  people: Record<P, CastPerson<U>>;
}

export interface Cast<U extends string, P extends string> {
  units: Record<U, number>;
  /** Each with a personal token (TokenService.issue) and the actor the API would see. */
  people: Record<P, Someone>;
}

/**
 * Issue 15: the organisation a browser test file needs, built through the services in one call instead of by hand in
 * each file — units, their groups, people with their platform accounts, roles and tokens. `seedOrg` is the standard
 * cast; this is for files whose cast differs (platform accounts the fakes address by id, a broadcast group).
 */
export async function seedCast<U extends string, P extends string>(t: TestApp, spec: CastSpec<U, P>): Promise<Cast<U, P>> {
  const started = Date.now();
  const org = t.get(OrgService);
  const tokens = t.get(TokenService);
  const units = {} as Record<U, number>;
  for (const [code, name] of Object.entries(spec.units) as [U, string][]) units[code] = (await org.createUnit({ code, name })).id;
  for (const g of spec.groups ?? [])
    await org.createGroup({
      platform: g.platform,
      externalId: g.externalId,
      name: g.name,
      purpose: g.purpose ?? 'unit',
      ...(g.unit ? { unitId: units[g.unit] } : {}),
      ...(g.webhookUrl ? { webhookUrl: g.webhookUrl } : {}),
    });
  const people = {} as Record<P, Someone>;
  for (const [key, p] of Object.entries(spec.people) as [P, CastPerson<U>][]) {
    const created = await org.createPerson({
      name: p.name,
      roles: p.roles.map((r) => ({ role: r.role, ...(r.unit ? { unitId: units[r.unit] } : {}) })),
      identities: [
        ...(p.dingtalk ? [{ platform: 'dingtalk' as const, externalUserId: p.dingtalk }] : []),
        ...(p.wecom ? [{ platform: 'wecom' as const, externalUserId: p.wecom }] : []),
      ],
    });
    const { token } = await tokens.issue(created.id, 'test');
    people[key] = { id: created.id, name: p.name, token, actor: (await tokens.actorFor(created.id, 'api'))! };
  }
  lap('organisation seeded', started);
  return { units, people };
}

/**
 * The cast the console's own pages are tried with (console, 立项/台账, system pages): 市发展改革委 with its DingTalk
 * group, 市财政局 (and 市教育局 where asked), the 督查室, the owner, the leader and 发改委's contact 陈联络 (`dt-lead`).
 */
export const OFFICE_CAST = {
  units: { FGW: '市发展改革委', CZJ: '市财政局' },
  groups: [{ platform: 'dingtalk', externalId: 'cidFGW', name: '发改委督办群', unit: 'FGW' }],
  people: {
    sup: { name: '王督查', roles: [{ role: 'supervisor' }], dingtalk: 'dt-sup' },
    owner: { name: '李秘书长', roles: [{ role: 'owner' }], dingtalk: 'dt-owner' },
    leader: { name: '赵副市长', roles: [{ role: 'leader' }], dingtalk: 'dt-leader' },
    lead: { name: '陈联络', roles: [{ role: 'unit_contact', unit: 'FGW' }], dingtalk: 'dt-lead' },
  },
} satisfies CastSpec<string, string>;
