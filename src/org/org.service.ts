import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere, In, Like } from 'typeorm';
import type { Actor } from '../shared/actor';
import { adminOnly, isPrivileged, mayManagePrivileged, privilegedNames } from './grant.rules';
import { conflict, invalid, notFound } from '../shared/errors';
import { inTransaction } from '../database/transaction';
import type { Platform, Role } from '../shared/vocabulary';
import { ChatGroup, GroupPurpose } from './chat-group.entity';
import { Person } from './person.entity';
import { PersonIdentity } from './person-identity.entity';
import { RoleGrant } from './role-grant.entity';
import { Unit } from './unit.entity';

export interface PersonInput {
  name: string;
  mobile?: string;
  unitId?: number | null;
  identities?: { platform: Platform; externalUserId: string; corpId?: string }[];
  roles?: { role: Role; unitId?: number | null }[];
}

export interface GroupInput {
  platform: Platform;
  externalId: string;
  name: string;
  unitId?: number | null;
  purpose: GroupPurpose;
  corpId?: string;
  webhookUrl?: string;
  webhookSecret?: string;
}

const UNIT_ROLES: Role[] = ['unit_contact', 'unit_head'];

export type PeopleStatus = 'active' | 'retired' | 'all';
export interface PeopleFilter {
  unitId?: number;
  role?: Role;
  q?: string;
  status?: PeopleStatus;
}

/** P1–P3: units, people with their platform identities and roles, chat groups. */
@Injectable()
export class OrgService {
  constructor(private readonly db: DataSource) {}

  units(): Promise<Unit[]> {
    return this.db.getRepository(Unit).find({ order: { id: 'ASC' } });
  }

  async createUnit(input: { code: string; name: string }, em: EntityManager = this.db.manager): Promise<Unit> {
    const code = input.code.normalize('NFKC').trim().toUpperCase();
    const name = input.name.normalize('NFKC').trim();
    if (await em.existsBy(Unit, { code })) throw conflict('ORG.UNIT_CODE_TAKEN', `单位编码 ${code} 已被使用。`, { field: 'code' });
    if (await em.existsBy(Unit, { name })) throw conflict('ORG.UNIT_NAME_TAKEN', `单位「${name}」已存在。`, { field: 'name' });
    return em.save(Unit, { code, name, active: true });
  }

  /**
   * R4: an office's coordinating leader (分管副秘书长 / 办公厅分管领导), who must hold the leader role. Binding a person
   * to decide and coordinate across units is privileged: the controller lets only an admin call it (grant.rules).
   */
  async setCoordinatingLeader(unitId: number, personId: number | null, em: EntityManager = this.db.manager): Promise<Unit> {
    const unit = await em.findOneBy(Unit, { id: unitId });
    if (!unit) throw notFound('ORG.UNIT_NOT_FOUND', `没有编号为 ${unitId} 的单位，请先在单位列表中核对。`);
    if (personId !== null) {
      const isLeader = await em.existsBy(RoleGrant, { personId, role: 'leader' });
      if (!isLeader || !(await em.existsBy(Person, { id: personId, active: true }))) {
        throw invalid('ORG.NOT_A_LEADER', `人员 ${personId} 不是在职的领导，不能作为分管领导。请先由管理员为其设置领导角色。`, {
          field: 'coordinatingLeaderId',
        });
      }
    }
    unit.coordinatingLeaderId = personId;
    return em.save(Unit, unit);
  }

  /** `by`: who asks (absent = the service itself). Privileged roles only from an admin (see grant.rules). */
  async createPerson(input: PersonInput, by?: Actor): Promise<PersonView> {
    const asked = (input.roles ?? []).map((r) => r.role);
    if (!mayManagePrivileged(by) && isPrivileged(asked)) {
      throw adminOnly('ORG.PRIVILEGED_ROLE', `授予「${privilegedNames(asked)}」角色`);
    }
    const id = await inTransaction(this.db, async (em) => {
      const person = await em.save(Person, { name: input.name.trim(), mobile: input.mobile?.trim() || null, unitId: input.unitId ?? null, active: true });
      await this.bind(em, person.id, input.identities ?? []);
      await this.grant(em, person.id, input.roles ?? []);
      return person.id;
    });
    return this.personView(id);
  }

  /**
   * `q`: part of a name or mobile, or a DingTalk / WeCom account (whole or part) — what the 督查室 types to find someone.
   * `status` (issue 15): people in post (default: the pickers offer no one retired), retired ones, or all.
   */
  async people(filter: PeopleFilter = {}): Promise<PersonView[]> {
    const where = await this.peopleWhere(filter);
    if (where === null) return [];
    return this.views(await this.db.getRepository(Person).find({ where, order: { id: 'ASC' } }));
  }

  /** The same, one page at a time (the 组织 page over a city's thousands of contacts). */
  async peoplePage(filter: PeopleFilter & { page: number; pageSize: number }): Promise<{ total: number; page: number; pageSize: number; items: PersonView[] }> {
    const { page, pageSize } = filter;
    const where = await this.peopleWhere(filter);
    if (where === null) return { total: 0, page, pageSize, items: [] };
    const [rows, total] = await this.db.getRepository(Person).findAndCount({ where, order: { id: 'ASC' }, skip: (page - 1) * pageSize, take: pageSize });
    return { total, page, pageSize, items: await this.views(rows) };
  }

  /** null: nobody can match. */
  private async peopleWhere(filter: PeopleFilter): Promise<FindOptionsWhere<Person> | FindOptionsWhere<Person>[] | null> {
    let ids: number[] | undefined;
    if (filter.role) ids = [...new Set((await this.db.getRepository(RoleGrant).findBy({ role: filter.role })).map((g) => g.personId))];
    if (ids && !ids.length) return null;
    const status = filter.status ?? 'active';
    const base: FindOptionsWhere<Person> = {
      ...(filter.unitId !== undefined ? { unitId: filter.unitId } : {}),
      ...(ids ? { id: In(ids) } : {}),
      ...(status === 'all' ? {} : { active: status === 'active' }),
    };
    if (!filter.q) return base;
    const like = Like(`%${filter.q}%`); // a % or _ typed matches loosely: harmless in a search box
    const byAccount = [...new Set((await this.db.getRepository(PersonIdentity).findBy({ externalUserId: like })).map((i) => i.personId))];
    // An id list from the role filter and one from the accounts: both must hold.
    const accounts = ids ? byAccount.filter((x) => ids.includes(x)) : byAccount;
    return [{ ...base, name: like }, { ...base, mobile: like }, ...(accounts.length ? [{ ...base, id: In(accounts) }] : [])];
  }

  private async views(people: Person[]): Promise<PersonView[]> {
    const pids = people.map((p) => p.id);
    const [idents, grants] = pids.length
      ? await Promise.all([
          this.db.getRepository(PersonIdentity).findBy({ personId: In(pids) }),
          this.db.getRepository(RoleGrant).findBy({ personId: In(pids) }),
        ])
      : [[], []];
    return people.map((p) => view(p, idents, grants));
  }

  async personView(id: number): Promise<PersonView> {
    const p = await this.db.getRepository(Person).findOneBy({ id });
    if (!p) throw notFound('ORG.PERSON_NOT_FOUND', `没有编号为 ${id} 的人员。`);
    const [idents, grants] = await Promise.all([
      this.db.getRepository(PersonIdentity).findBy({ personId: id }),
      this.db.getRepository(RoleGrant).findBy({ personId: id }),
    ]);
    return view(p, idents, grants);
  }

  /**
   * P3: bind platform ids; an id already bound to someone else is refused (one id, one person). An id bound without a
   * corp id stands for that user id in every corp (IdentityService.resolve), so it overlaps the same user id bound
   * under any corp id, both ways: otherwise a corp-specific binding of someone else would take over the account in chat.
   */
  async bind(em: EntityManager, personId: number, identities: NonNullable<PersonInput['identities']>): Promise<void> {
    for (const i of identities) {
      const corpId = i.corpId ?? '';
      const same = await em.findBy(PersonIdentity, { platform: i.platform, externalUserId: i.externalUserId });
      const overlapping = same.filter((x) => x.corpId === corpId || x.corpId === '' || corpId === '');
      const taken = overlapping.find((x) => x.personId !== personId);
      if (taken) {
        throw conflict(
          'ORG.IDENTITY_TAKEN',
          `${i.platform === 'dingtalk' ? '钉钉' : '企业微信'}账号 ${i.externalUserId} 已绑定到其他人员（${taken.personId}），请核对后再绑定。`,
          { field: 'identities' },
        );
      }
      if (!same.some((x) => x.corpId === corpId)) await em.insert(PersonIdentity, { personId, platform: i.platform, corpId, externalUserId: i.externalUserId });
    }
  }

  /** P2: replace a person's roles with these. */
  async grant(em: EntityManager, personId: number, roles: NonNullable<PersonInput['roles']>): Promise<void> {
    const units = roles.map((r) => r.unitId).filter((u): u is number => u !== null && u !== undefined);
    if (units.length) {
      const found = await em.countBy(Unit, { id: In([...new Set(units)]) });
      if (found !== new Set(units).size) throw invalid('ORG.UNKNOWN_UNIT', '角色中引用了不存在的单位。', { field: 'roles' });
    }
    for (const r of roles) {
      if (UNIT_ROLES.includes(r.role) && (r.unitId === null || r.unitId === undefined)) {
        throw invalid('ORG.UNIT_REQUIRED', `「${r.role === 'unit_contact' ? '联络员' : '负责人'}」角色须指定所属单位，请选择该人员所在的承办单位。`, {
          field: 'roles',
        });
      }
    }
    // Delete by primary key only what exists: a DELETE over an empty range takes gap locks that make
    // two concurrent new people deadlock on their inserts.
    const existing = await em.findBy(RoleGrant, { personId });
    if (existing.length)
      await em.delete(
        RoleGrant,
        existing.map((g) => g.id),
      );
    const unique = new Map(roles.map((r) => [`${r.role}:${UNIT_ROLES.includes(r.role) ? r.unitId : ''}`, r]));
    if (unique.size) {
      await em.insert(
        RoleGrant,
        [...unique.values()].map((r) => ({ personId, role: r.role, unitId: UNIT_ROLES.includes(r.role) ? r.unitId! : null })),
      );
    }
  }

  async setRoles(personId: number, roles: NonNullable<PersonInput['roles']>, by?: Actor) {
    const person = await this.personView(personId);
    const touched = [...person.roles.map((r) => r.role), ...roles.map((r) => r.role)];
    if (!mayManagePrivileged(by) && isPrivileged(touched)) throw adminOnly('ORG.PRIVILEGED_ROLE', `调整「${privilegedNames(touched)}」角色`);
    await inTransaction(this.db, (em) => this.grant(em, personId, roles));
    return this.personView(personId);
  }

  /** P3: a privileged person's chat accounts are bound by an admin only (see grant.rules). */
  async addIdentities(personId: number, identities: NonNullable<PersonInput['identities']>, by?: Actor) {
    const person = await this.personView(personId);
    const held = person.roles.map((r) => r.role);
    if (!mayManagePrivileged(by) && isPrivileged(held)) {
      throw adminOnly('ORG.PRIVILEGED_IDENTITY', `「${person.name}」担任${privilegedNames(held)}，为其绑定钉钉或企业微信账号`);
    }
    await inTransaction(this.db, (em) => this.bind(em, personId, identities));
    return this.personView(personId);
  }

  async groups(filter: { unitId?: number; platform?: Platform } = {}): Promise<GroupView[]> {
    return (await this.db.getRepository(ChatGroup).find({ where: { ...filter }, order: { id: 'ASC' } })).map(groupView);
  }

  async createGroup(input: GroupInput, em: EntityManager = this.db.manager): Promise<GroupView> {
    if (input.purpose === 'unit' && (input.unitId === null || input.unitId === undefined)) {
      throw invalid('ORG.UNIT_REQUIRED', '单位群须指定所属单位，请选择该群对应的承办单位。', { field: 'unitId' });
    }
    if (input.unitId !== null && input.unitId !== undefined && !(await em.existsBy(Unit, { id: input.unitId }))) {
      throw invalid('ORG.UNKNOWN_UNIT', `没有编号为 ${input.unitId} 的单位。`, { field: 'unitId' });
    }
    if (await em.existsBy(ChatGroup, { platform: input.platform, externalId: input.externalId })) {
      throw conflict('ORG.GROUP_TAKEN', `群 ${input.externalId} 已登记。`, { field: 'externalId' });
    }
    const saved = await em.save(ChatGroup, {
      platform: input.platform,
      corpId: input.corpId ?? '',
      externalId: input.externalId,
      name: input.name.trim(),
      unitId: input.unitId ?? null,
      purpose: input.purpose,
      webhookUrl: input.webhookUrl ?? null,
      webhookSecret: input.webhookSecret ?? null,
    });
    return groupView(saved);
  }
}

export type GroupView = ReturnType<typeof groupView>;

/**
 * A group as the API shows it. A robot webhook URL carries its credential (`key=`, `access_token=`) and the 加签 secret
 * is one: neither is ever shown, only whether the group has a webhook. Listed field by field, so a new secret column
 * does not leak by default.
 */
export function groupView(g: ChatGroup) {
  return {
    id: g.id,
    platform: g.platform,
    corpId: g.corpId,
    externalId: g.externalId,
    name: g.name,
    unitId: g.unitId,
    purpose: g.purpose,
    hasWebhook: Boolean(g.webhookUrl),
    createdAt: g.createdAt,
  };
}

export type PersonView = ReturnType<typeof view>;

function view(p: Person, idents: PersonIdentity[], grants: RoleGrant[]) {
  return {
    id: p.id,
    name: p.name,
    mobile: p.mobile,
    unitId: p.unitId,
    active: p.active,
    identities: idents.filter((i) => i.personId === p.id).map((i) => ({ id: i.id, platform: i.platform, corpId: i.corpId, externalUserId: i.externalUserId })),
    roles: grants.filter((g) => g.personId === p.id).map((g) => ({ role: g.role, unitId: g.unitId })),
  };
}
