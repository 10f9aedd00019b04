import type { Actor } from '../../src/shared/actor';
import { TokenService } from '../../src/auth/token.service';
import type { Role } from '../../src/shared/vocabulary';
import { OrgService } from '../../src/org/org.service';
import type { TestApp } from './test-app';

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
  return result;
}

export const bearer = (s: Someone | string) => ({ Authorization: `Bearer ${typeof s === 'string' ? s : s.token}` });
