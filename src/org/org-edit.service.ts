import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { Clock } from '../shared/clock';
import type { Actor } from '../shared/actor';
import { conflict, forbidden, invalid, notFound } from '../shared/errors';
import { inTransaction } from '../database/transaction';
import { EventDispatcher } from '../events/event-dispatcher';
import { ChatGroup, type GroupPurpose } from './chat-group.entity';
import { adminOnly, isPrivileged, mayManagePrivileged, privilegedNames } from './grant.rules';
import { OrgChange, type OrgSubject } from './org-change.entity';
import { groupView, OrgService, type GroupView, type PersonView } from './org.service';
import { Person } from './person.entity';
import { PersonIdentity } from './person-identity.entity';
import { RoleGrant } from './role-grant.entity';
import { Unit } from './unit.entity';
import './org.events';

export interface UnitEdit {
  code?: string;
  name?: string;
}

export interface PersonEdit {
  name?: string;
  mobile?: string | null;
  unitId?: number | null;
}

export interface GroupEdit {
  name?: string;
  purpose?: GroupPurpose;
  unitId?: number | null;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
}

const PURPOSE_NAMES: Record<GroupPurpose, string> = { unit: '单位群', broadcast: '通报群', supervision: '督查群' };
const PLATFORM_NAMES = { dingtalk: '钉钉', wecom: '企业微信' } as const;
const UNIT_ROLES = ['unit_contact', 'unit_head'];

/**
 * Issue 15 (P1–P3): changing and retiring what the directory holds — a unit renamed or retired, a person moved to
 * another unit or retired, a chat account bound by mistake removed, a group changed or removed. The same people may do
 * it as may create (grant.rules: anything about a privileged person is for an admin). Nothing is deleted that history
 * names: units and people are retired (停用), their items, scores and timelines keep them. Every change is written to
 * org_change in the same transaction, with who did it and when.
 */
@Injectable()
export class OrgEditService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly events: EventDispatcher,
    private readonly org: OrgService,
  ) {}

  async updateUnit(id: number, input: UnitEdit, by: Actor): Promise<Unit> {
    return inTransaction(this.db, async (em) => {
      const unit = await this.unit(em, id);
      const changes: string[] = [];
      if (input.code !== undefined) {
        const code = input.code.normalize('NFKC').trim().toUpperCase();
        if (code !== unit.code) {
          if (await em.existsBy(Unit, { code, id: Not(id) }))
            throw conflict('ORG.UNIT_CODE_TAKEN', `单位编码 ${code} 已被其他单位使用，请换一个编码。`, { field: 'code' });
          changes.push(`编码由 ${unit.code} 改为 ${code}（此后 Excel 导入请用新编码）`);
          unit.code = code;
        }
      }
      if (input.name !== undefined) {
        const name = input.name.normalize('NFKC').trim();
        if (!name) throw invalid('ORG.NAME_REQUIRED', '请填写单位名称。', { field: 'name' });
        if (name !== unit.name) {
          if (await em.existsBy(Unit, { name, id: Not(id) }))
            throw conflict('ORG.UNIT_NAME_TAKEN', `已有名为「${name}」的单位，请换一个名称。`, { field: 'name' });
          changes.push(`名称由「${unit.name}」改为「${name}」`);
          unit.name = name;
        }
      }
      if (!changes.length) return unit;
      const saved = await em.save(Unit, unit);
      await this.record(em, 'unit', id, 'unit_updated', `单位「${saved.name}」：${changes.join('；')}`, by);
      return saved;
    });
  }

  /**
   * Retiring a unit: refused while it still handles open items (cases answers 'org.unit-retiring'); afterwards it is
   * offered for no new item, its groups and people stay as they are (people who left are retired on their own).
   */
  async setUnitActive(id: number, active: boolean, by: Actor): Promise<Unit> {
    return inTransaction(this.db, async (em) => {
      const unit = await this.unit(em, id);
      if (unit.active === active) return unit;
      if (!active) await this.events.publish(em, 'org.unit-retiring', { unitId: id, unitName: unit.name });
      unit.active = active;
      const saved = await em.save(Unit, unit);
      await this.record(em, 'unit', id, active ? 'unit_reactivated' : 'unit_retired', `单位「${unit.name}」${active ? '恢复启用' : '停用'}`, by);
      return saved;
    });
  }

  /**
   * A person's name, mobile and home unit. Moving to another unit takes along the contact and head roles held for the
   * old home unit (the person now speaks for the new one); roles held for other units stay.
   */
  async updatePerson(id: number, input: PersonEdit, by: Actor): Promise<PersonView> {
    await inTransaction(this.db, async (em) => {
      const person = await this.person(em, id);
      await this.mayChange(em, person, by, '修改其信息');
      const changes: string[] = [];
      if (input.name !== undefined) {
        const name = input.name.trim();
        if (!name) throw invalid('ORG.NAME_REQUIRED', '请填写姓名。', { field: 'name' });
        if (name !== person.name) changes.push(`姓名由「${person.name}」改为「${name}」`);
        person.name = name;
      }
      if (input.mobile !== undefined) {
        const mobile = input.mobile?.trim() || null;
        if (mobile !== person.mobile) changes.push(mobile ? `手机号改为 ${mobile}` : '删除手机号');
        person.mobile = mobile;
      }
      if (input.unitId !== undefined && input.unitId !== person.unitId) {
        const from = person.unitId;
        const to = input.unitId;
        const [fromName, toName] = [await this.unitName(em, from), to === null ? null : await this.activeUnitName(em, to)];
        const moved = from === null ? [] : await em.findBy(RoleGrant, { personId: id, unitId: from, role: In(UNIT_ROLES) });
        if (moved.length && to === null) {
          throw invalid('ORG.UNIT_REQUIRED', `「${person.name}」是${fromName}的联络员或负责人，须有所在单位。请选择新单位，或先在「角色」中去掉这些角色。`, {
            field: 'unitId',
          });
        }
        for (const g of moved) {
          const dup = await em.existsBy(RoleGrant, { personId: id, role: g.role, unitId: to! });
          if (dup) await em.delete(RoleGrant, { id: g.id });
          else await em.update(RoleGrant, { id: g.id }, { unitId: to });
        }
        changes.push(`所在单位由${fromName ?? '（无）'}调整为${toName ?? '（无）'}${moved.length ? '，联络员、负责人角色随之调整到新单位' : ''}`);
        person.unitId = to;
      }
      if (!changes.length) return;
      await em.save(Person, person);
      await this.record(em, 'person', id, 'person_updated', `人员「${person.name}」：${changes.join('；')}`, by);
    });
    return this.org.personView(id);
  }

  /**
   * Retiring a person who left: refused while they are the owner or leader of open items (cases answers
   * 'org.person-retiring'); then their console sessions and personal tokens end (auth answers 'org.person-retired'),
   * the bot no longer knows them, reminders no longer reach them and the pickers no longer offer them. Their accounts
   * and roles are kept, so a person retired by mistake comes back as they were (with new tokens).
   */
  async setPersonActive(id: number, active: boolean, by: Actor): Promise<PersonView> {
    await inTransaction(this.db, async (em) => {
      const person = await this.person(em, id);
      if (!active && by.personId === id) throw forbidden('ORG.SELF_RETIRE', '不能停用自己的账号。如确已离岗，请由其他督查室人员或管理员办理。');
      await this.mayChange(em, person, by, active ? '恢复启用' : '停用');
      if (person.active === active) return;
      if (!active) await this.events.publish(em, 'org.person-retiring', { personId: id, personName: person.name });
      await em.update(Person, { id }, { active });
      const now = this.clock.now();
      let offices = 0;
      if (!active) {
        // R4: an office whose coordinating leader left has none until the admin names another (escalation goes to the 督查室).
        offices = (await em.update(Unit, { coordinatingLeaderId: id }, { coordinatingLeaderId: null })).affected ?? 0;
        await this.events.publish(em, 'org.person-retired', { personId: id, at: now });
      }
      const summary = active
        ? `人员「${person.name}」恢复启用（停用前的令牌仍然无效，如需使用接口请重新签发）`
        : `人员「${person.name}」停用：登录会话和个人令牌失效，不再接收提醒，也不再作为人员选项${offices ? `；不再担任 ${offices} 个科室的分管领导，请管理员另行设置` : ''}`;
      await this.record(em, 'person', id, active ? 'person_reactivated' : 'person_retired', summary, by);
    });
    return this.org.personView(id);
  }

  /** P3: an account bound by mistake. After this, that account's clicks and commands are no longer this person's. */
  async removeIdentity(personId: number, identityId: number, by: Actor): Promise<PersonView> {
    await inTransaction(this.db, async (em) => {
      const person = await this.person(em, personId);
      const identity = await em.findOneBy(PersonIdentity, { id: identityId, personId });
      if (!identity) throw notFound('ORG.IDENTITY_NOT_FOUND', `「${person.name}」没有这个钉钉或企业微信账号，可能已被删除，请刷新后再看。`);
      await this.mayChange(em, person, by, '解除其钉钉或企业微信账号');
      await em.delete(PersonIdentity, { id: identityId });
      const what = `${PLATFORM_NAMES[identity.platform]}账号 ${identity.externalUserId}${identity.corpId ? `（企业 ${identity.corpId}）` : ''}`;
      await this.record(em, 'person', personId, 'identity_removed', `人员「${person.name}」：解除绑定${what}`, by);
    });
    return this.org.personView(personId);
  }

  /** A group's name, purpose, unit or robot webhook; its platform and chat id are what it is (remove and add again). */
  async updateGroup(id: number, input: GroupEdit, by: Actor): Promise<GroupView> {
    return inTransaction(this.db, async (em) => {
      const group = await this.group(em, id);
      const changes: string[] = [];
      if (input.name !== undefined) {
        const name = input.name.trim();
        if (!name) throw invalid('ORG.NAME_REQUIRED', '请填写群名称。', { field: 'name' });
        if (name !== group.name) changes.push(`名称由「${group.name}」改为「${name}」`);
        group.name = name;
      }
      if (input.purpose !== undefined && input.purpose !== group.purpose) {
        changes.push(`用途由${PURPOSE_NAMES[group.purpose]}改为${PURPOSE_NAMES[input.purpose]}`);
        group.purpose = input.purpose;
      }
      if (input.unitId !== undefined && input.unitId !== group.unitId) {
        const name = input.unitId === null ? null : await this.activeUnitName(em, input.unitId);
        changes.push(`所属单位由${(await this.unitName(em, group.unitId)) ?? '（无）'}改为${name ?? '（无）'}`);
        group.unitId = input.unitId;
      }
      if (group.purpose === 'unit' && group.unitId === null) {
        throw invalid('ORG.UNIT_REQUIRED', '单位群须指定所属单位，请选择该群对应的承办单位，或把用途改为通报群、督查群。', { field: 'unitId' });
      }
      if (input.webhookUrl !== undefined) {
        const url = input.webhookUrl?.trim() || null;
        changes.push(url ? '更换机器人 Webhook 地址' : '删除机器人 Webhook 地址');
        group.webhookUrl = url;
        if (!url) group.webhookSecret = null;
      }
      if (input.webhookSecret !== undefined && group.webhookUrl !== null) {
        changes.push(input.webhookSecret ? '更换加签密钥' : '删除加签密钥');
        group.webhookSecret = input.webhookSecret || null;
      }
      if (!changes.length) return groupView(group);
      const { name, purpose, unitId, webhookUrl, webhookSecret } = group;
      await em.update(ChatGroup, { id }, { name, purpose, unitId, webhookUrl, webhookSecret });
      await this.record(em, 'group', id, 'group_updated', `${PLATFORM_NAMES[group.platform]}群「${group.name}」：${changes.join('；')}`, by);
      return groupView(group);
    });
  }

  /**
   * A group removed: the bot sends nothing more into it. A unit left without a group of its own is reached through its
   * contacts one to one (message-targets.ts) — the answer says so.
   */
  async removeGroup(id: number, by: Actor): Promise<{ removed: true; unitLeftWithoutGroup: boolean }> {
    return inTransaction(this.db, async (em) => {
      const group = await this.group(em, id);
      await em.delete(ChatGroup, { id });
      const unitLeftWithoutGroup =
        group.purpose === 'unit' && group.unitId !== null && !(await em.existsBy(ChatGroup, { unitId: group.unitId, purpose: 'unit' }));
      const after = unitLeftWithoutGroup ? `；${await this.unitName(em, group.unitId)}已没有单位群，此后的通知改为一对一发给其联络员和负责人` : '';
      await this.record(em, 'group', id, 'group_removed', `${PLATFORM_NAMES[group.platform]}群「${group.name}」（${group.externalId}）已移除${after}`, by);
      return { removed: true, unitLeftWithoutGroup };
    });
  }

  /** The record of changes to one unit, person or group, newest first. */
  async changes(subject: OrgSubject, subjectId: number): Promise<Pick<OrgChange, 'id' | 'action' | 'summary' | 'byPersonId' | 'byName' | 'at'>[]> {
    const rows = await this.db.getRepository(OrgChange).find({ where: { subject, subjectId }, order: { id: 'DESC' }, take: 200 });
    return rows.map(({ id, action, summary, byPersonId, byName, at }) => ({ id, action, summary, byPersonId, byName, at }));
  }

  private async record(em: EntityManager, subject: OrgSubject, subjectId: number, action: string, summary: string, by: Actor): Promise<void> {
    await em.insert(OrgChange, {
      subject,
      subjectId,
      action,
      summary: summary.slice(0, 500),
      byPersonId: by.personId,
      byName: by.name.slice(0, 50),
      at: this.clock.now(),
    });
  }

  /** grant.rules: a person holding a privileged role is changed by an admin only. */
  private async mayChange(em: EntityManager, person: Person, by: Actor, what: string): Promise<void> {
    if (mayManagePrivileged(by)) return;
    const held = (await em.findBy(RoleGrant, { personId: person.id })).map((g) => g.role);
    if (isPrivileged(held)) throw adminOnly('ORG.PRIVILEGED_PERSON', `「${person.name}」担任${privilegedNames(held)}，${what}`);
  }

  private async unit(em: EntityManager, id: number): Promise<Unit> {
    const unit = await em.findOneBy(Unit, { id });
    if (!unit) throw notFound('ORG.UNIT_NOT_FOUND', `没有编号为 ${id} 的单位，请刷新单位列表后再试。`);
    return unit;
  }

  private async person(em: EntityManager, id: number): Promise<Person> {
    const person = await em.findOneBy(Person, { id });
    if (!person) throw notFound('ORG.PERSON_NOT_FOUND', `没有编号为 ${id} 的人员，请刷新人员列表后再试。`);
    return person;
  }

  private async group(em: EntityManager, id: number): Promise<ChatGroup> {
    const group = await em.createQueryBuilder(ChatGroup, 'g').addSelect('g.webhookSecret').where('g.id = :id', { id }).getOne();
    if (!group) throw notFound('ORG.GROUP_NOT_FOUND', `没有编号为 ${id} 的群，可能已被移除，请刷新群列表后再看。`);
    return group;
  }

  private async unitName(em: EntityManager, id: number | null): Promise<string | null> {
    return id === null ? null : ((await em.findOneBy(Unit, { id }))?.name ?? `单位${id}`);
  }

  /** A unit something is moved to must exist and be in use. */
  private async activeUnitName(em: EntityManager, id: number): Promise<string> {
    const unit = await em.findOneBy(Unit, { id });
    if (!unit) throw invalid('ORG.UNKNOWN_UNIT', `没有编号为 ${id} 的单位，请从列表中选择。`, { field: 'unitId' });
    if (!unit.active) throw invalid('ORG.UNIT_RETIRED', `「${unit.name}」已停用，请选择其他单位，或先在单位页恢复启用它。`, { field: 'unitId' });
    return unit.name;
  }
}
