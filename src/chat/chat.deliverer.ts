import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Platform } from '../shared/vocabulary';
import { Clock } from '../shared/clock';
import { DeliveryError } from '../outbox/delivery';
import { MessageKinds } from '../outbox/message-kinds';
import type { Delivery, DeliveryPlan, OutboxDeliverer } from '../outbox/outbox.deliverer';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { CardInstance } from './card-instance.entity';
import { CHAT_PLATFORMS, ChatPlatform, type Destination } from './chat-platform';
import { OutboundComposer, type Delivery as ComposedDelivery } from './outbound.composer';
import { CardPlaces } from './card-places';

/** What a digest leaves of a platform's message size for what the sender adds: the title line and the people it @s. */
const DIGEST_RESERVED_BYTES = 256;

/**
 * Chat's side of the outbox (issue 12): an outbox row becomes deliveries to the platforms switched on — targets
 * resolved to groups, people, cards or a conversation, the message composed through the registry of message kinds —
 * and cards keep their order: created before anything updates them (issue 11 D12).
 */
@Injectable()
export class ChatDeliverer implements OutboxDeliverer {
  private readonly byPlatform = new Map<Platform, ChatPlatform>();

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly composer: OutboundComposer,
    private readonly kinds: MessageKinds,
    private readonly places: CardPlaces,
    @Optional() @Inject(CHAT_PLATFORMS) platforms: ChatPlatform[] = [],
  ) {
    for (const p of platforms) this.byPlatform.set(p.platform, p);
  }

  get platforms(): readonly string[] {
    return [...this.byPlatform.keys()];
  }

  async plan(row: OutboxMessage): Promise<DeliveryPlan> {
    if (row.target.startsWith('cards:')) return this.fanOut(row);
    if (row.target.startsWith('card:')) {
      const held = await this.heldForCreate(row);
      if (held) return held;
    }
    return this.sendPlan(row, await this.composer.compose(row, new Set(this.byPlatform.keys())));
  }

  /**
   * Issue 17: the notices for one recipient as one message, composed to fit what the platform takes in one message
   * (its textBytes, less room for the title and mentions). It goes as the first row would: same platform, same place.
   */
  async planDigest(rows: OutboxMessage[], waiting: number): Promise<{ plan: DeliveryPlan; listed: number; covers: number }> {
    const room = (platform: Platform, to: Destination) => (this.byPlatform.get(platform)?.textBytes?.(to) ?? 2048) - DIGEST_RESERVED_BYTES;
    const { deliveries, listed, covers } = await this.composer.composeDigest(rows, new Set(this.byPlatform.keys()), room, waiting);
    return { plan: this.sendPlan(rows[0], deliveries), listed, covers };
  }

  private sendPlan(row: OutboxMessage, deliveries: ComposedDelivery[]): DeliveryPlan {
    return {
      type: 'send',
      deliveries: deliveries.map((d, i): Delivery => {
        let platform: ChatPlatform | undefined;
        return {
          prepare: async () => {
            platform = this.byPlatform.get(d.platform);
            if (!platform) throw new DeliveryError('permanent', `平台 ${d.platform} 未启用（未配置），无法发送`);
            if (d.outbound.type === 'card' && (d.to.type === 'group' || d.to.type === 'person')) {
              // The outTrackId is fixed before the first try: a retry after a crash re-sends the same card, which the
              // platform recognises instead of showing twice. The second try finds the row there: without updateEntity(false)
              // TypeORM fails looking for the id of a row it did not insert, and a create held back by the limiter never went.
              const outTrackId = `dbn-${row.id}-${i}`;
              await this.db
                .createQueryBuilder()
                .insert()
                .into(CardInstance)
                .values({
                  outTrackId,
                  platform: d.platform,
                  kind: d.outbound.kind,
                  itemId: d.outbound.itemId,
                  subject: d.outbound.subject ?? null,
                  target: row.target,
                  outboxId: row.id,
                })
                .orIgnore()
                .updateEntity(false)
                .execute();
              // Issue 17: a click on it finds its place here, as BotRouter would read it from the row (card-places.ts).
              // The same values on a retry (an existing row was written from this same outbox row and delivery).
              const subject = d.outbound.subject ?? null;
              this.places.remember(outTrackId, {
                place: { kind: d.outbound.kind, target: row.target },
                number: subject ?? (d.outbound.itemId !== null ? d.outbound.card.number : null),
                inGroup: row.target.startsWith('group:'),
              });
              d.outbound = { ...d.outbound, outTrackId };
            }
            return platform.limits?.(d.outbound, d.to) ?? [];
          },
          send: () => platform!.deliver(row, d.outbound, d.to),
        };
      }),
    };
  }

  /** The platform does not know the card yet while its create is still on its way: that passes (issue 11 D12). */
  async notYet(row: OutboxMessage, error: DeliveryError): Promise<boolean> {
    return row.target.startsWith('card:') && error.message.includes('cardNotExist') && (await this.createOf(row))?.status === 'pending';
  }

  /**
   * Issue 11 D12: a refresh of all an item's cards becomes one row per card (card:<id>), so each card is updated,
   * retried and, if it must be, dead-lettered on its own. A card whose create has not been sent yet gets its row too:
   * it waits for the create (heldForCreate).
   */
  private async fanOut(row: OutboxMessage): Promise<DeliveryPlan> {
    const now = this.clock.now();
    if (await this.createInFlight(row, now)) return { type: 'wait', dueAt: new Date(now.getTime() + 250), note: '等待正在发出的卡片登记后再更新' };
    return {
      type: 'fan-out',
      targets: async (em) =>
        (await em.findBy(CardInstance, { itemId: Number(row.target.slice('cards:'.length)) })).map((c) => ({
          target: `card:${c.id}` as const,
          platform: c.platform,
        })),
    };
  }

  /**
   * A create of one of the item's cards is claimed (by any instance, lease still running) and has not written its
   * card_instance yet: it may have composed the card before the change this refresh is for, and the fan-out would not
   * see it. The refresh waits for it (at most a lease): then the card is known and its update follows its create.
   */
  private async createInFlight(row: OutboxMessage, now: Date): Promise<boolean> {
    const n = await this.db
      .getRepository(OutboxMessage)
      .createQueryBuilder('o')
      // status + due_at first: a claimed row was due when it was claimed, so only the due backlog is read (ix_outbox_due).
      .where("o.status = 'pending' AND o.due_at <= :now AND o.item_id = :item AND o.kind IN (:...kinds) AND o.locked_until > :now AND o.id <> :me", {
        item: Number(row.target.slice('cards:'.length)),
        kinds: this.kinds.cardKinds(),
        now,
        me: row.id,
      })
      .andWhere('NOT EXISTS (SELECT 1 FROM card_instance c WHERE c.outbox_id = o.id)')
      .getCount();
    return n > 0;
  }

  /** The outbox row that creates this card row's card (null for cards from before the outbox kept it). */
  private async createOf(row: OutboxMessage): Promise<OutboxMessage | null> {
    const card = await this.db.getRepository(CardInstance).findOneBy({ id: Number(row.target.slice('card:'.length)) });
    return card?.outboxId ? this.db.getRepository(OutboxMessage).findOneBy({ id: card.outboxId }) : null;
  }

  /**
   * Issue 11 D12: a card is created before anything updates it. The card_instance row is written when its create is
   * first tried, so a create held back by the send limit (or retrying) already has one: its update waits — not a
   * failure, no attempt counted — until the create is sent, and goes after it. A create that became a dead letter
   * made no card: there is nothing to update (retried, the create shows the state of that moment).
   */
  private async heldForCreate(row: OutboxMessage): Promise<DeliveryPlan | null> {
    const create = await this.createOf(row);
    if (!create || create.status === 'sent') return null;
    if (create.status === 'dead') return { type: 'done', note: '卡片没有送达（其发送已转为死信），无需更新；重发时会显示当时的状态。' };
    const now = this.clock.now();
    return { type: 'wait', dueAt: new Date(Math.max(now.getTime() + 500, create.dueAt.getTime() + 100)), note: '等待卡片送达后再更新' };
  }
}
