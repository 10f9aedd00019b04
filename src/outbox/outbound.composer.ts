import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { TokenService } from '../auth/token.service';
import { Item } from '../cases/item.entity';
import { ItemRequest } from '../cases/item-request.entity';
import type { Platform } from '../shared/vocabulary';
import { Report } from '../cases/report.entity';
import { formatShanghai } from '../shared/shanghai-time';
import { ChatGroup } from '../org/chat-group.entity';
import { PersonIdentity } from '../org/person-identity.entity';
import { Unit } from '../org/unit.entity';
import { ItemUnit } from '../cases/item-unit.entity';
import { Clock } from '../shared/clock';
import { reminderLine } from '../reminders/reminder.texts';
import { CardInstance, CardKind } from '../chat/card-instance.entity';
import { CardViewService } from '../chat/card-view.service';
import { DecisionCards } from './decision-cards';
import { BulletinService } from '../bulletins/bulletin.service';
import type { Destination, Outbound } from './delivery';
import type { OutboxMessage } from './outbox-message.entity';

export interface Delivery {
  platform: Platform;
  to: Destination;
  outbound: Outbound;
}

export const CARD_KINDS: Record<string, CardKind> = { assignment_card: 'assignment', review_card: 'review', approval_card: 'approval', clue_audit_card: 'decision', bulletin_approval_card: 'decision' };
const excerpt = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Turns an outbox row into platform-neutral deliveries, reading the item as it is NOW (a card sent late shows
 * the current state, not the state at the time of the command). Platform-specific rendering happens in bot/<platform>/.
 */
@Injectable()
export class OutboundComposer {
  constructor(
    private readonly db: DataSource,
    private readonly cards: CardViewService,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly decisions: DecisionCards,
    private readonly bulletins: BulletinService,
  ) {}

  async compose(msg: OutboxMessage, enabled: ReadonlySet<Platform>): Promise<Delivery[]> {
    const item = msg.itemId === null ? null : await this.db.getRepository(Item).findOneBy({ id: msg.itemId });
    const destinations = await this.destinations(msg, enabled);
    const out: Delivery[] = [];
    for (const d of destinations) out.push({ ...d, outbound: await this.outbound(msg, item, d.to) });
    return out;
  }

  private async destinations(msg: OutboxMessage, enabled: ReadonlySet<Platform>): Promise<{ platform: Platform; to: Destination }[]> {
    const [kind, id] = msg.target.split(':');
    if (kind === 'group') {
      const group = await this.db.getRepository(ChatGroup).createQueryBuilder('g').addSelect('g.webhookSecret').where('g.id = :id', { id: Number(id) }).getOne();
      return group ? [{ platform: group.platform, to: { type: 'group', group } }] : [];
    }
    if (kind === 'person') {
      const ids = await this.db.getRepository(PersonIdentity).find({ where: { personId: Number(id) }, order: { id: 'ASC' } });
      // A person bound on both platforms gets an answer where they wrote (the message names the platform), anything
      // else on the first platform this deployment has switched on.
      const pick = ids.find((i) => i.platform === msg.platform && enabled.has(i.platform)) ?? ids.find((i) => enabled.has(i.platform)) ?? ids[0];
      return pick ? [{ platform: pick.platform, to: { type: 'person', userId: pick.externalUserId, personId: pick.personId } }] : [];
    }
    if (kind === 'card') {
      const card = await this.db.getRepository(CardInstance).findOneBy({ id: Number(id) });
      return card ? [{ platform: card.platform as Platform, to: { type: 'card', card } }] : [];
    }
    if (kind === 'cards') {
      const cards = await this.db.getRepository(CardInstance).findBy({ itemId: Number(id) });
      return cards.map((card) => ({ platform: card.platform as Platform, to: { type: 'card', card } }));
    }
    const replyTo = (msg.payload.replyTo ?? {}) as Record<string, unknown>;
    return [{ platform: (msg.platform ?? replyTo.platform) as Platform, to: { type: 'reply', replyTo } }];
  }

  private async outbound(msg: OutboxMessage, item: Item | null, to: Destination): Promise<Outbound> {
    const cardKind = to.type === 'card' ? to.card.kind : CARD_KINDS[msg.kind];
    const subject = to.type === 'card' ? to.card.subject : typeof msg.payload.subject === 'string' ? msg.payload.subject : null;
    if (cardKind === 'decision' && subject) {
      // A decision about something other than an item, built by the module that owns it for the person it goes to.
      const personId = to.type === 'person' ? to.personId : to.type === 'card' && to.card.target.startsWith('person:') ? Number(to.card.target.slice(7)) : null;
      const viewer = personId === null ? null : await this.tokens.actorFor(personId, 'system');
      const card = await this.decisions.build(subject, viewer);
      if (card) return { type: 'card', kind: 'decision', itemId: null, subject, card };
      return { type: 'text', title: '督办通知', text: `${subject} 已无需处理。` };
    }
    if (item && cardKind) {
      const viewer = await this.viewer(item, to);
      return { type: 'card', kind: cardKind, itemId: item.id, card: await this.cards.build(item, cardKind, viewer.actor, viewer.groupUnitId) };
    }
    return { type: 'text', ...(await this.text(msg, item)) };
  }

  /** R10: every reminder due for one recipient at one instant, in one message. */
  private async reminderDigest(reminders: { kind: string; rule: string; itemId: number }[]): Promise<{ title: string; text: string }> {
    const now = this.clock.now();
    // Three queries for the whole digest, whatever its length.
    const ids = [...new Set(reminders.map((r) => r.itemId))];
    const items = ids.length ? await this.db.getRepository(Item).findBy({ id: In(ids) }) : [];
    const leads = ids.length ? await this.db.getRepository(ItemUnit).findBy({ itemId: In(ids), role: 'lead' }) : [];
    const units = leads.length ? await this.db.getRepository(Unit).findBy({ id: In(leads.map((l) => l.unitId)) }) : [];
    const lines: string[] = [];
    for (const r of reminders) {
      const item = items.find((i) => i.id === r.itemId);
      if (!item) continue;
      const lead = leads.find((l) => l.itemId === item.id);
      const unit = units.find((u) => u.id === lead?.unitId);
      const line = reminderLine({ kind: r.kind, rule: r.rule, number: item.number, title: item.title, deadlineAt: item.deadlineAt, leadUnit: unit?.name ?? '', now });
      // R10: urges deferred out of the night arrive together; the same sentence is said once (the digest keeps every key).
      if (!lines.includes(line)) lines.push(line);
    }
    return { title: lines.length > 1 ? `督办提醒（${lines.length}项）` : '督办提醒', text: lines.join('\n') };
  }

  /** Whose buttons a card shows: the person it is for, or — in a unit's group — the unit's part in the item. */
  private async viewer(item: Item, to: Destination) {
    const personId = to.type === 'person' ? to.personId : to.type === 'card' && to.card.target.startsWith('person:') ? Number(to.card.target.slice(7)) : null;
    if (personId !== null) return { actor: await this.tokens.actorFor(personId, 'system'), groupUnitId: null };
    const groupId = to.type === 'group' ? to.group.id : to.type === 'card' && to.card.target.startsWith('group:') ? Number(to.card.target.slice(6)) : null;
    const group = groupId === null ? null : to.type === 'group' ? to.group : await this.db.getRepository(ChatGroup).findOneBy({ id: groupId });
    return { actor: null, groupUnitId: group?.unitId ?? null };
  }

  private async text(msg: OutboxMessage, item: Item | null): Promise<{ title: string; text: string }> {
    const p = msg.payload;
    const head = item ? `${item.number}「${item.title}」` : '';
    switch (msg.kind) {
      case 'bot_reply':
        return { title: '督办助手', text: String(p.text ?? '') };
      case 'clue_notice':
        return { title: '问题线索', text: String(p.text ?? '') };
      case 'bulletin_broadcast':
        return this.bulletins.broadcastText(Number(p.bulletinId));
      case 'report_notice': {
        const report = await this.db.getRepository(Report).findOneBy({ id: Number(p.reportId) });
        const unit = report ? await this.db.getRepository(Unit).findOneBy({ id: report.unitId }) : null;
        return { title: '督办反馈', text: `【督办反馈】${head}\n${unit?.name ?? ''}反馈：${excerpt(report?.content ?? '')}` };
      }
      case 'returned_notice':
        return { title: '督办退回', text: `【退回】${head}\n${p.rating === 'fail' ? '评定为不合格' : '反馈被退回'}：${String(p.reason ?? '')}\n请按要求修改后重新反馈。` };
      case 'extension_card': {
        const req = await this.db.getRepository(ItemRequest).findOneBy({ id: Number(p.requestId) });
        return {
          title: '延期申请',
          text: `【延期申请】${head}\n申请延期至 ${formatShanghai(req?.proposedDeadline)}\n理由：${excerpt(req?.text ?? '')}\n请在督办系统中审批。`,
        };
      }
      case 'extension_decided':
        return { title: '延期审批', text: `【延期审批】${head}\n${p.approved ? `已同意延期，新期限 ${formatShanghai(item?.deadlineAt)}。` : `未同意延期：${String(p.note ?? '')}`}` };
      case 'closure_not_agreed':
        return { title: '办结未获同意', text: `【办结未获同意】${head}\n服务对象第 ${String(p.attempts)} 次不同意办结。${p.canVerify ? '可组织专家论证或公众评价。' : ''}` };
      case 'reminder_digest':
        return this.reminderDigest(p.reminders as { kind: string; rule: string; itemId: number }[]);
      case 'closed_notice':
        return { title: '办结销号', text: `【办结】${head}\n已经分管领导审定办结，编号销号。` };
      default:
        return { title: '督办通知', text: `【督办通知】${head}` };
    }
  }
}
