import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors';
import { inTransaction } from '../database/transaction';
import { ChatGroup } from './chat-group.entity';
import { ImportProblem, OrgImport, ParseResult, SourceRows, parseOrgJson, parseOrgWorkbook } from './org-import.parser';
import { OrgService } from './org.service';
import { Person } from './person.entity';
import { PersonIdentity } from './person-identity.entity';
import { Unit } from './unit.entity';

export interface ImportSummary {
  units: { created: number; updated: number };
  people: { created: number; updated: number };
  groups: { created: number; updated: number };
}

/** Thrown with every problem found; the transaction is rolled back, so nothing from the file is half-imported. */
export class ImportRefused extends DomainError {
  constructor(readonly problems: ImportProblem[]) {
    super('IMPORT.REFUSED', `导入未执行：发现 ${problems.length} 处问题，文件中的数据一条也没有写入。${problems[0]?.message ?? ''}`, 'invalid', { problems });
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

  async importWorkbook(buffer: Buffer): Promise<ImportSummary> {
    return this.apply(await parseOrgWorkbook(buffer, { unitCodes: await this.unitCodes() }));
  }

  async importJson(input: unknown): Promise<ImportSummary> {
    return this.apply(parseOrgJson(input, { unitCodes: await this.unitCodes() }));
  }

  private async unitCodes(): Promise<Set<string>> {
    return new Set((await this.db.getRepository(Unit).find({ select: { code: true } })).map((u) => u.code));
  }

  private async apply(parsed: ParseResult): Promise<ImportSummary> {
    if (!parsed.ok) throw new ImportRefused(parsed.problems);
    const rows: SourceRows = parsed.rows ?? { units: [], people: [], groups: [], noun: '条' };
    const summary = await inTransaction(this.db, async (em) => {
      const problems: ImportProblem[] = [];
      const s: ImportSummary = { units: { created: 0, updated: 0 }, people: { created: 0, updated: 0 }, groups: { created: 0, updated: 0 } };
      const unitIds = await this.upsertUnits(em, parsed.data, rows, problems, s);
      await this.upsertPeople(em, parsed.data, unitIds, rows, problems, s);
      await this.upsertGroups(em, parsed.data, unitIds, s);
      if (problems.length) throw new ImportRefused(problems);
      return s;
    });
    this.log.log(JSON.stringify({ event: 'org_imported', ...summary }));
    return summary;
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

  private async upsertPeople(em: EntityManager, data: OrgImport, unitIds: Map<string, number>, rows: SourceRows, problems: ImportProblem[], s: ImportSummary): Promise<void> {
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
      await this.org.grant(em, personId, p.roles.map((role) => ({ role, unitId: role === 'unit_contact' || role === 'unit_head' ? unitId : null })));
    }
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
