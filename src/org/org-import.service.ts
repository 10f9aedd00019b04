import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../shared/actor';
import { isPrivileged, mayManagePrivileged, privilegedNames } from './grant.rules';
import type { Role } from '../shared/vocabulary';
import { DomainError } from '../shared/errors';
import { inTransaction } from '../database/transaction';
import { ChatGroup } from './chat-group.entity';
import { ImportProblem, OrgImport, ParseResult, SourceRows, parseOrgJson, parseOrgWorkbook } from './org-import.parser';
import { OrgService } from './org.service';
import { Person } from './person.entity';
import { PersonIdentity } from './person-identity.entity';
import { RoleGrant } from './role-grant.entity';
import { Unit } from './unit.entity';

export interface ImportSummary {
  units: { created: number; updated: number };
  people: { created: number; updated: number };
  groups: { created: number; updated: number };
  /** A check only ("检查，不导入"): everything was done and then rolled back, so the counts say what an import would do. */
  dryRun?: true;
}

/** Carries a dry run's counts out of its transaction, which it rolls back on the way. */
class DryRunDone extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/** Thrown with every problem found; the transaction is rolled back, so nothing from the file is half-imported. */
export class ImportRefused extends DomainError {
  constructor(readonly problems: ImportProblem[]) {
    super('IMPORT.REFUSED', `导入未执行：发现 ${problems.length} 处问题，文件中的数据一条也没有写入。${problems[0]?.message ?? ''}`, 'invalid', { problems });
  }
}

/**
 * P2/P3 (grant.rules): an import by someone other than an admin that would grant a privileged role, or change a person
 * who holds one (roles, chat accounts, name, mobile, unit), is refused as a whole with 403; nothing is written.
 */
export class ImportPrivileged extends DomainError {
  constructor(readonly problems: ImportProblem[]) {
    super(
      'IMPORT.PRIVILEGED',
      `导入未执行：${problems[0]?.message ?? ''}${problems.length > 1 ? `（共 ${problems.length} 处）` : ''}。授予领导、立项主体、督查员、管理员角色，设置科室的分管领导，或更改担任这些角色人员的信息和钉钉、企业微信账号，只能由管理员办理，请联系管理员导入，或从文件中删去这些行后重新导入。`,
      'forbidden',
      { problems },
    );
  }
}

/**
 * The 督查室's contact list from Excel or JSON. Units match by code, people by their DingTalk or WeCom id
 * (then by mobile), groups by platform id: importing the same file twice changes nothing.
 */
@Injectable()
export class OrgImportService {
  private readonly log = new Logger('org-import');

  constructor(
    private readonly db: DataSource,
    private readonly org: OrgService,
  ) {}

  /** `by`: who imports (absent = the service itself: demo seed, the CLI on the server). */
  async importWorkbook(buffer: Buffer, by?: Actor, opts: { dryRun?: boolean } = {}): Promise<ImportSummary> {
    return this.apply(await parseOrgWorkbook(buffer, { unitCodes: await this.unitCodes() }), by, opts.dryRun === true);
  }

  async importJson(input: unknown, by?: Actor, opts: { dryRun?: boolean } = {}): Promise<ImportSummary> {
    return this.apply(parseOrgJson(input, { unitCodes: await this.unitCodes() }), by, opts.dryRun === true);
  }

  private async unitCodes(): Promise<Set<string>> {
    return new Set((await this.db.getRepository(Unit).find({ select: { code: true } })).map((u) => u.code));
  }

  /**
   * `dryRun`: the same checks against the database, every write made and then rolled back — the 督查室's "检查，不导入"
   * finds the same problems (and the same counts) the import would, and changes nothing.
   */
  private async apply(parsed: ParseResult, by: Actor | undefined, dryRun = false): Promise<ImportSummary> {
    if (!parsed.ok) throw new ImportRefused(parsed.problems);
    const rows: SourceRows = parsed.rows ?? { units: [], people: [], groups: [], noun: '条' };
    let summary: ImportSummary;
    try {
      summary = await this.write(parsed, rows, by, dryRun);
    } catch (e) {
      if (e instanceof DryRunDone) return { ...e.summary, dryRun: true };
      throw e;
    }
    this.log.log(JSON.stringify({ event: 'org_imported', ...summary }));
    return summary;
  }

  private write(parsed: Extract<ParseResult, { ok: true }>, rows: SourceRows, by: Actor | undefined, dryRun: boolean): Promise<ImportSummary> {
    return inTransaction(this.db, async (em) => {
      const problems: ImportProblem[] = [];
      const s: ImportSummary = { units: { created: 0, updated: 0 }, people: { created: 0, updated: 0 }, groups: { created: 0, updated: 0 } };
      const unitIds = await this.upsertUnits(em, parsed.data, rows, problems, s);
      const privileged: ImportProblem[] = [];
      await this.upsertPeople(em, parsed.data, unitIds, rows, problems, s, mayManagePrivileged(by) ? null : privileged);
      await this.upsertGroups(em, parsed.data, unitIds, s);
      await this.setCoordinatingLeaders(em, parsed.data, unitIds, rows, problems, mayManagePrivileged(by) ? null : privileged);
      if (privileged.length) throw new ImportPrivileged(privileged);
      if (problems.length) throw new ImportRefused(problems);
      if (dryRun) throw new DryRunDone(s);
      return s;
    });
  }

  private async upsertUnits(em: EntityManager, data: OrgImport, rows: SourceRows, problems: ImportProblem[], s: ImportSummary): Promise<Map<string, number>> {
    const all = await em.find(Unit);
    const byCode = new Map(all.map((u) => [u.code, u]));
    for (const [i, u] of data.units.entries()) {
      const existing = byCode.get(u.code);
      const nameOwner = all.find((x) => x.name === u.name);
      if (nameOwner && nameOwner.code !== u.code) {
        problems.push(at('单位', rows.units[i], rows.noun, '名称', `单位「${u.name}」已以编码 ${nameOwner.code} 存在`));
        continue;
      }
      if (existing) {
        if (existing.name !== u.name) {
          await em.update(Unit, { id: existing.id }, { name: u.name });
          s.units.updated++;
        }
      } else {
        const created = await em.save(Unit, { code: u.code, name: u.name });
        byCode.set(created.code, created);
        all.push(created);
        s.units.created++;
      }
    }
    return new Map([...byCode].map(([code, u]) => [code, u.id]));
  }

  /**
   * R4: the 单位 sheet's 分管领导 — the office's coordinating leader, by mobile or name, who must hold the leader role
   * (after the people, so a leader in the same file counts). Binding a person to coordinate across units is privileged
   * (grant.rules): a change by anyone but an admin is refused like a privileged role. An empty cell changes nothing.
   */
  private async setCoordinatingLeaders(
    em: EntityManager,
    data: OrgImport,
    unitIds: Map<string, number>,
    rows: SourceRows,
    problems: ImportProblem[],
    privileged: ImportProblem[] | null,
  ): Promise<void> {
    for (const [i, u] of data.units.entries()) {
      const who = u.coordinatingLeader?.trim();
      const unitId = unitIds.get(u.code);
      if (!who || unitId === undefined) continue;
      const row = rows.units[i];
      const candidates = /^1\d{10}$/.test(who) ? await em.findBy(Person, { mobile: who, active: true }) : await em.findBy(Person, { name: who, active: true });
      const leaders = [];
      for (const p of candidates) if (await em.existsBy(RoleGrant, { personId: p.id, role: 'leader' })) leaders.push(p);
      if (leaders.length !== 1) {
        const why = leaders.length
          ? `「分管领导」${who} 有 ${leaders.length} 位同名领导，请改填其手机号`
          : `「分管领导」${who} 不是通讯录中的领导，请填写持领导角色人员的姓名或手机号（可在人员表中为其设置领导角色）`;
        problems.push(at('单位', row, rows.noun, '分管领导', why));
        continue;
      }
      const current = await em.findOneByOrFail(Unit, { id: unitId });
      if (current.coordinatingLeaderId === leaders[0].id) continue;
      if (privileged) {
        privileged.push(at('单位', row, rows.noun, '分管领导', `${u.name} 的分管领导将被设为${leaders[0].name}`));
        continue;
      }
      await em.update(Unit, { id: unitId }, { coordinatingLeaderId: leaders[0].id });
    }
  }

  /** `privileged`: where to note rows that need an admin (null when an admin imports). */
  private async upsertPeople(
    em: EntityManager,
    data: OrgImport,
    unitIds: Map<string, number>,
    rows: SourceRows,
    problems: ImportProblem[],
    s: ImportSummary,
    privileged: ImportProblem[] | null,
  ): Promise<void> {
    for (const [i, p] of data.people.entries()) {
      const row = rows.people[i];
      const dt = p.dingtalkUserId ? await em.findOneBy(PersonIdentity, { platform: 'dingtalk', externalUserId: p.dingtalkUserId }) : null;
      const wc = p.wecomUserId ? await em.findOneBy(PersonIdentity, { platform: 'wecom', externalUserId: p.wecomUserId }) : null;
      if (dt && wc && dt.personId !== wc.personId) {
        problems.push(at('人员', row, rows.noun, '钉钉用户ID', `${p.name} 的钉钉ID与企业微信ID分别属于两位已有人员（${dt.personId}、${wc.personId}）`));
        continue;
      }
      let personId = dt?.personId ?? wc?.personId ?? (p.mobile ? (await em.findOneBy(Person, { mobile: p.mobile }))?.id : undefined);
      const unitId = p.unitCode ? (unitIds.get(p.unitCode) ?? null) : null;
      if (privileged) {
        const refusal = await this.privilegedChange(em, p, personId, unitId, dt, wc);
        if (refusal) {
          privileged.push(at('人员', row, rows.noun, '角色', refusal));
          continue;
        }
      }
      if (personId === undefined) {
        personId = (await em.save(Person, { name: p.name, mobile: p.mobile ?? null, unitId, active: true })).id;
        s.people.created++;
      } else {
        await em.update(Person, { id: personId }, { name: p.name, mobile: p.mobile ?? null, unitId, active: true });
        s.people.updated++;
      }
      const identities = [
        ...(p.dingtalkUserId ? [{ platform: 'dingtalk' as const, externalUserId: p.dingtalkUserId }] : []),
        ...(p.wecomUserId ? [{ platform: 'wecom' as const, externalUserId: p.wecomUserId }] : []),
      ];
      await this.org.bind(em, personId, identities);
      // Roles in the file are the person's roles: unit roles are held for the person's unit.
      await this.org.grant(
        em,
        personId,
        p.roles.map((role) => ({ role, unitId: role === 'unit_contact' || role === 'unit_head' ? unitId : null })),
      );
    }
  }

  /**
   * Why this row needs an admin, or null: it grants a privileged role, or it would change anything about a person who
   * holds one (roles, accounts, name, mobile, unit, reactivation). An unchanged row of such a person passes, so the
   * 督查室 can re-import its whole contact list.
   */
  private async privilegedChange(
    em: EntityManager,
    p: OrgImport['people'][number],
    personId: number | undefined,
    unitId: number | null,
    dt: PersonIdentity | null,
    wc: PersonIdentity | null,
  ): Promise<string | null> {
    const wanted = p.roles as Role[];
    if (personId === undefined) return isPrivileged(wanted) ? `${p.name} 将被授予${privilegedNames(wanted)}角色` : null;
    const grants = await em.findBy(RoleGrant, { personId });
    const held = grants.map((g) => g.role);
    if (!isPrivileged(held)) return isPrivileged(wanted) ? `${p.name} 将被授予${privilegedNames(wanted)}角色` : null;
    const person = await em.findOneByOrFail(Person, { id: personId });
    const sameRoles = new Set(held).size === new Set(wanted).size && wanted.every((r) => held.includes(r));
    const unitRolesMoved = !sameRoles || grants.some((g) => g.unitId !== null && g.unitId !== unitId);
    const rebinds = (p.dingtalkUserId && !dt) || (p.wecomUserId && !wc);
    const changed = person.name !== p.name || person.mobile !== (p.mobile ?? null) || person.unitId !== unitId || !person.active;
    if (!sameRoles || unitRolesMoved || rebinds || changed)
      return `${p.name} 担任${privilegedNames(held)}，本行会更改其${rebinds ? '钉钉或企业微信账号' : !sameRoles || unitRolesMoved ? '角色' : '信息'}`;
    return null;
  }

  private async upsertGroups(em: EntityManager, data: OrgImport, unitIds: Map<string, number>, s: ImportSummary): Promise<void> {
    for (const g of data.groups) {
      const unitId = g.unitCode ? (unitIds.get(g.unitCode) ?? null) : null;
      const existing = await em.findOneBy(ChatGroup, { platform: g.platform, externalId: g.externalId });
      const values = { name: g.name, unitId, purpose: g.purpose, webhookUrl: g.webhookUrl ?? null };
      if (existing) {
        await em.update(ChatGroup, { id: existing.id }, values);
        s.groups.updated++;
      } else {
        await em.save(ChatGroup, { platform: g.platform, externalId: g.externalId, corpId: '', ...values });
        s.groups.created++;
      }
    }
  }
}

const at = (sheet: string, row: number | undefined, noun: string, field: string, what: string): ImportProblem => ({
  sheet,
  row: row ?? 0,
  field,
  message: `${sheet} 第${row ?? '?'}${noun}：${what}`,
});
