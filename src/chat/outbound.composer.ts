import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Person } from '../org/person.entity';
import { TokenService } from '../auth/token.service';
import { Item } from '../cases/item.entity';
import type { Platform } from '../shared/vocabulary';
import { ChatGroup } from '../org/chat-group.entity';
import { PersonIdentity } from '../org/person-identity.entity';
import { MessageKinds, type MessageText } from '../outbox/message-kinds';
import type { OutboxMessage } from '../outbox/outbox-message.entity';
import { CardInstance } from './card-instance.entity';
import { CardViewService } from './card-view.service';
import type { Destination, Outbound } from './chat-platform';
import { createHash } from 'node:crypto';
import { digest, digestFits, DIGEST_LIST_MAX } from '../outbox/digest.rules';

export interface Delivery {
  platform: Platform;
  to: Destination;
  outbound: Outbound;
}

/**
 * Turns an outbox row into platform-neutral deliveries, reading the item as it is NOW (a card sent late shows
 * the current state, not the state at the time of the command). What each kind says is registered by the feature
 * that owns it (MessageKinds); item cards are built here. Platform-specific rendering happens in chat/platforms/<platform>/.
 */
@Injectable()
export class OutboundComposer implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly cards: CardViewService,
    private readonly tokens: TokenService,
    private readonly kinds: MessageKinds,
  ) {}

  onModuleInit(): void {
    // Chat's own kind: an answer to whoever wrote to the robot.
    this.kinds.text('bot_reply', (msg) => Promise.resolve({ title: '督办助手', text: String(msg.payload.text ?? '') }));
  }

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
      const group = await this.db
        .getRepository(ChatGroup)
        .createQueryBuilder('g')
        .addSelect('g.webhookSecret')
        .where('g.id = :id', { id: Number(id) })
        .getOne();
      return group ? [{ platform: group.platform, to: { type: 'group', group } }] : [];
    }
    if (kind === 'person') {
      // Issue 15: a person retired (停用) after the message was queued gets nothing — a reminder, a card — any more.
      if (!(await this.db.getRepository(Person).existsBy({ id: Number(id), active: true }))) return [];
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
    const cardKind = to.type === 'card' ? to.card.kind : this.kinds.cardOf(msg.kind);
    const subject = to.type === 'card' ? to.card.subject : typeof msg.payload.subject === 'string' ? msg.payload.subject : null;
    if (cardKind === 'decision' && subject) {
      // A decision about something other than an item, built by the module that owns it for the person it goes to.
      const personId = to.type === 'person' ? to.personId : to.type === 'card' && to.card.target.startsWith('person:') ? Number(to.card.target.slice(7)) : null;
      const viewer = personId === null ? null : await this.tokens.actorFor(personId, 'system');
      const card = await this.kinds.buildDecision(subject, viewer);
      if (card) return { type: 'card', kind: 'decision', itemId: null, subject, card };
      return { type: 'text', title: '督办通知', text: `${subject} 已无需处理。` };
    }
    if (item && cardKind) {
      const viewer = await this.viewer(item, to);
      return { type: 'card', kind: cardKind, itemId: item.id, card: await this.cards.build(item, cardKind, viewer.actor, viewer.groupUnitId) };
    }
    return this.textOutbound(await this.text(msg, item), to);
  }

  /**
   * Issue 17: notices for one recipient (one target and platform, earliest first; `waiting` of them in all, these the
   * first) as one digest, which goes where the first would go. Each is composed as it would be alone, as many as fit
   * `room(platform, to)` bytes of text (digest.rules.ts): `listed` says how many it lists, `covers` how many of the
   * waiting notices it stands for.
   */
  async composeDigest(
    rows: OutboxMessage[],
    enabled: ReadonlySet<Platform>,
    room: (platform: Platform, to: Destination) => number,
    waiting = rows.length,
  ): Promise<{ deliveries: Delivery[]; listed: number; covers: number }> {
    const destinations = await this.destinations(rows[0], enabled);
    // Nowhere to send (the group is gone, the person retired): every row would have gone nowhere alone too.
    if (destinations.length === 0) return { deliveries: [], listed: rows.length, covers: rows.length };
    const budget = Math.min(...destinations.map((d) => room(d.platform, d.to)));
    const entries: MessageText[] = [];
    for (const row of rows.slice(0, DIGEST_LIST_MAX)) {
      entries.push(await this.text(row, null));
      if (digestFits(entries, budget) < entries.length) {
        entries.pop();
        break;
      }
    }
    const { listed, covers, ...text } = digest(entries, budget, waiting);
    // Its own key where the platform de-duplicates (a DingTalk robot's msgUuid): the first row's would make the platform
    // drop this digest as a repeat of that row sent alone, or of an earlier digest of other rows that began with it.
    const key = `duban-d${rows[0].id}-${createHash('sha1')
      .update(
        `${rows
          .slice(0, covers)
          .map((r) => r.id)
          .join(',')}/${covers}`,
      )
      .digest('hex')
      .slice(0, 12)}`;
    const deliveries: Delivery[] = [];
    for (const d of destinations) deliveries.push({ ...d, outbound: { ...(await this.textOutbound(text, d.to)), key } });
    return { deliveries, listed, covers };
  }

  /** A text as it goes to `to`: in a group, with the people to @ (issue 14). */
  private async textOutbound({ mentionPersonIds, ...text }: MessageText, to: Destination): Promise<Extract<Outbound, { type: 'text' }>> {
    // Issue 14: in a group, the people to @ — their user ids on the group's platform, and their names.
    if (mentionPersonIds?.length && to.type === 'group') {
      const ids = await this.db.getRepository(PersonIdentity).find({ where: { personId: In(mentionPersonIds), platform: to.group.platform } });
      const people = await this.db.getRepository(Person).findBy({ id: In(ids.map((i) => i.personId)) });
      if (ids.length)
        return {
          type: 'text',
          ...text,
          mentionUserIds: ids.map((i) => i.externalUserId),
          mentionNames: ids.map((i) => people.find((p) => p.id === i.personId)?.name ?? i.externalUserId),
        };
    }
    return { type: 'text', ...text };
  }

  /** Whose buttons a card shows: the person it is for, or — in a unit's group — the unit's part in the item. */
  private async viewer(item: Item, to: Destination) {
    const personId = to.type === 'person' ? to.personId : to.type === 'card' && to.card.target.startsWith('person:') ? Number(to.card.target.slice(7)) : null;
    if (personId !== null) return { actor: await this.tokens.actorFor(personId, 'system'), groupUnitId: null };
    const groupId = to.type === 'group' ? to.group.id : to.type === 'card' && to.card.target.startsWith('group:') ? Number(to.card.target.slice(6)) : null;
    const group = groupId === null ? null : to.type === 'group' ? to.group : await this.db.getRepository(ChatGroup).findOneBy({ id: groupId });
    return { actor: null, groupUnitId: group?.unitId ?? null };
  }

  /** A text kind as its feature registered it; a kind nobody registered is a plain notice about the item. */
  private async text(msg: OutboxMessage, item: Item | null): Promise<MessageText> {
    const compose = this.kinds.textOf(msg.kind);
    if (compose) return compose(msg);
    return { title: '督办通知', text: `【督办通知】${item ? `${item.number}「${item.title}」` : ''}` };
  }
}
