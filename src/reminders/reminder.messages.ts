import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Item } from '../cases/item.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Unit } from '../org/unit.entity';
import { RoleGrant } from '../org/role-grant.entity';
import { Clock } from '../shared/clock';
import { MessageKinds } from '../outbox/message-kinds';
import { CalendarService } from '../calendar/calendar.service';
import { reminderLine } from './reminder.texts';
import { policyFor } from './reminder.policy';
import { ReminderPolicyService } from './reminder-policy.service';
import { ClueSummaries } from './clue-summaries';
import { clueOfficeNotice, clueUnitNotice, clueUnitTail } from './clue-notice.texts';

/** The reminders' message (issue 12: each feature composes its own): the digest of what is due for one recipient. */
@Injectable()
export class ReminderMessages implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly kinds: MessageKinds,
    private readonly calendar: CalendarService,
    private readonly policies: ReminderPolicyService,
    private readonly clueSummaries: ClueSummaries,
  ) {}

  onModuleInit(): void {
    this.kinds.text('reminder_digest', async (msg) => {
      const digest = await this.digest(msg.payload.reminders as { key?: string; kind: string; rule: string; itemId: number }[]);
      // Issue 14: urges in a unit's group @ its contacts.
      const unit = typeof msg.payload.mentionUnit === 'number' ? msg.payload.mentionUnit : null;
      if (unit === null) return digest;
      const contacts = await this.db.getRepository(RoleGrant).findBy({ unitId: unit, role: 'unit_contact' });
      return { ...digest, mentionPersonIds: [...new Set(contacts.map((c) => c.personId))] };
    });
  }

  /** R10: every reminder due for one recipient at one instant, in one message. */
  async digest(reminders: { key?: string; kind: string; rule: string; itemId: number }[]): Promise<{ title: string; text: string }> {
    const now = this.clock.now();
    // Three queries for the whole digest, whatever its length.
    const ids = [...new Set(reminders.map((r) => r.itemId))];
    const items = ids.length ? await this.db.getRepository(Item).findBy({ id: In(ids) }) : [];
    const leads = ids.length ? await this.db.getRepository(ItemUnit).findBy({ itemId: In(ids), role: 'lead' }) : [];
    const offices = items.map((i) => i.ownerUnitId).filter((u): u is number => u !== null);
    const unitIds = [...new Set([...leads.map((l) => l.unitId), ...offices])];
    const units = unitIds.length ? await this.db.getRepository(Unit).findBy({ id: In(unitIds) }) : [];
    const cal = await this.calendar.calendar();
    const policies = await this.policies.current();
    const lines: string[] = [];
    // Issue 14 (R10 with A1): an overdue clue opened in this moment is told in this one message. To the unit, after the
    // item's urge of the moment (which says how late it is and asks for the report) as one more sentence on its line;
    // alone, as the full notice. To the 督查室, as a line of its own.
    const clueNumbers = reminders.filter((r) => r.kind === 'clue_opened').map((r) => r.key?.split(':')[3] ?? '');
    const clues = await this.clueSummaries.load(clueNumbers);
    const urgeLine = new Map<number, number>();
    const clueLines: string[] = [];
    for (const r of reminders) {
      const item = items.find((i) => i.id === r.itemId);
      if (!item) continue;
      if (r.kind === 'clue_opened') {
        const clue = clues.find((c) => c.number === r.key?.split(':')[3]);
        if (!clue) continue;
        const facts = { clueNumber: clue.number, summary: clue.summary, item: { number: item.number, title: item.title, signed: item.state !== 'assigned' } };
        if (r.key?.split(':')[2] !== 'unit') clueLines.push(clueOfficeNotice(facts));
        else if (urgeLine.has(item.id)) lines[urgeLine.get(item.id)!] += clueUnitTail(facts);
        else clueLines.push(clueUnitNotice(facts));
        continue;
      }
      const lead = leads.find((l) => l.itemId === item.id);
      const unit = units.find((u) => u.id === lead?.unitId);
      const office = units.find((u) => u.id === item.ownerUnitId);
      // The key is `${itemId}:${kind}:${audience}:${dueAt}` (schedule.rules): R4 says different things to each audience.
      const audience = r.key?.split(':')[2];
      const line = reminderLine({
        kind: r.kind,
        rule: r.rule,
        number: item.number,
        title: item.title,
        deadlineAt: item.deadlineAt,
        leadUnit: unit?.name ?? '',
        now,
        // R4: how overdue, in the clock the item's policy counts (working time by default, issue 13).
        calendar: (policyFor(item, policies).overdueClock ?? 'working') === 'working' ? cal : undefined,
        audience,
        ownerOffice: office?.name,
        noCoordinatingLeader: !office?.coordinatingLeaderId,
        signed: item.state !== 'assigned',
      });
      // R10: urges deferred out of the night arrive together; the same sentence is said once (the digest keeps every key).
      if (!lines.includes(line)) lines.push(line);
      if (audience === 'unit' || audience === undefined) urgeLine.set(item.id, lines.indexOf(line));
    }
    for (const line of clueLines) if (!lines.includes(line)) lines.push(line);
    const onlyClues = clueLines.length > 0 && lines.length === clueLines.length;
    return { title: lines.length > 1 ? `督办提醒（${lines.length}项）` : onlyClues ? '问题线索' : '督办提醒', text: lines.join('\n') };
  }
}
