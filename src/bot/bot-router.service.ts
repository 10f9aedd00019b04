import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { OutboxWriter } from './outbox/outbox.writer';
import type { OutboxTarget } from './outbox/outbox-message.entity';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { shanghaiDate } from '../common/shanghai-time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { inTransaction } from '../database/transaction';
import { ChatGroup } from '../org/chat-group.entity';
import type { BotEvent, BotResult } from './bot-event';
import { BotCommand, parseCommand } from './command.parser';
import { CommandExecutor } from './command.executor';
import { InboxEvent } from './inbox/inbox-event.entity';
import { IdentityService } from './identity.service';
import { CardViewService } from './card-view.service';
import { CardInstance } from './card-instance.entity';
import { Item } from '../cases/item.entity';

/**
 * Principle 4 — at-least-once in, exactly-once effect. For every BotEvent, in ONE transaction: claim its
 * platform id in inbox_event (a repeat stops here), find the person (P3), parse, run the command (in a
 * savepoint, so a refusal undoes only the command), queue the reply in the outbox, and record the outcome.
 */
@Injectable()
export class BotRouter {
  private readonly log = new Logger('bot');

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly identity: IdentityService,
    private readonly executor: CommandExecutor,
    private readonly outbox: OutboxWriter,
    private readonly cards: CardViewService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(event: BotEvent): Promise<BotResult> {
    const result = await inTransaction(this.db, async (em) => {
      if (!(await this.claim(em, event))) return { duplicate: true } as BotResult & { actor?: Actor | null };
      await this.fillCardNumber(em, event);
      const actor = await this.identity.resolve(event, em);
      const outcome = await this.decide(event, actor);
      if (outcome.reply !== undefined && !event.cardAction) await this.queueReply(em, event, actor, outcome.reply);
      await em.update(InboxEvent, { platform: event.platform, eventId: event.eventId }, { personId: actor?.personId ?? null, outcome: (outcome.reply ?? '').slice(0, 500) });
      return { duplicate: false, ...outcome, actor };
      // The identity lookup above reads before the command locks its item: under REPEATABLE READ the command would then
      // see the item's units as they were before it waited for the lock (20 /签收 at once wrote 10 签收 events).
    }, { isolation: 'READ COMMITTED' });
    this.log.log(JSON.stringify({ event: 'bot_event', platform: event.platform, eventId: event.eventId, user: event.userId, duplicate: result.duplicate, item: result.itemNumber }));
    // A card click is answered in the ACK with the card as the clicker now sees it — read after commit.
    if (event.cardAction) {
      const number = result.itemNumber ?? event.cardAction.params.number;
      const actor = result.actor ?? (await this.identity.resolve(event));
      if (number) result.card = (await this.cards.forViewer(number, actor, event.cardAction.outTrackId, event.cardAction.action)) ?? undefined;
    }
    delete result.actor;
    return result;
  }

  /** A click names its card; the card knows its item (a click's own params are not trusted for that). */
  private async fillCardNumber(em: EntityManager, event: BotEvent): Promise<void> {
    const action = event.cardAction;
    if (!action?.outTrackId) return;
    const card = await em.findOneBy(CardInstance, { outTrackId: action.outTrackId });
    if (card?.subject) {
      action.params = { ...action.params, number: card.subject };
      return;
    }
    const item = card?.itemId ? await em.findOneBy(Item, { id: card.itemId }) : null;
    if (item) action.params = { ...action.params, number: item.number };
  }

  /** Insert the platform id; a unique-key clash means we have seen it (even if the first is still committing: it waits). */
  private async claim(em: EntityManager, event: BotEvent): Promise<boolean> {
    try {
      await em.insert(InboxEvent, { platform: event.platform, eventId: event.eventId, kind: event.cardAction ? 'card' : 'text', personId: null, outcome: null });
      return true;
    } catch (e) {
      const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
      if (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
      throw e;
    }
  }

  private async decide(event: BotEvent, actor: Actor | null): Promise<Omit<BotResult, 'duplicate'>> {
    const parsed = this.parse(event);
    if (!parsed.ok && parsed.code === 'NOT_A_COMMAND') return {}; // ordinary chat: stay silent
    if (!actor) return { reply: IdentityService.bindingHint(event) };
    if (!parsed.ok) return { reply: parsed.message };
    try {
      return await this.executor.run(parsed.command, actor);
    } catch (e) {
      if (e instanceof DomainError) return { reply: e.message, itemNumber: 'number' in parsed.command ? parsed.command.number : undefined };
      throw e;
    }
  }

  /** Card buttons are turned into the same commands people type, so both paths share parsing and rules. */
  private parse(event: BotEvent): ReturnType<typeof parseCommand> {
    const opts = { numberPrefix: this.config.numberPrefix, today: shanghaiDate(this.clock.now()) };
    if (!event.cardAction) return parseCommand(event.text ?? '', opts);
    const { action, params } = event.cardAction;
    const n = params.number ?? '';
    const typed: Record<string, string> = {
      sign: `/签收 ${n}`,
      report: `/反馈 ${n} ${params.content ?? ''}`,
      extend: `/延期 ${n} ${params.reason ?? ''}`,
      close: `/办结 ${n} ${params.summary ?? ''}`,
      return: `/退回 ${n} ${params.reason ?? ''}`,
      approve: `/审定 ${n}`,
      'clue:approve': `/问责审核 ${n} 同意 ${params.note ?? ''}`,
      'clue:reject': `/问责审核 ${n} 退回 ${params.reason ?? ''}`,
      'bulletin:approve': `/通报审定 ${n} 同意 ${params.note ?? ''}`,
      'bulletin:reject': `/通报审定 ${n} 退回 ${params.reason ?? ''}`,
    };
    const rate = /^rate:(excellent|good|pass|fail)$/.exec(action);
    const text = rate ? `/评定 ${n} ${rate[1]} ${params.comment ?? ''}` : typed[action];
    if (!text) return { ok: false, code: 'UNKNOWN_COMMAND', message: '这个按钮已失效，请刷新卡片后重试。' };
    return parseCommand(text, opts);
  }

  private async queueReply(em: EntityManager, event: BotEvent, actor: Actor | null, text: string): Promise<void> {
    const group = event.conversation.type === 'group' ? await em.findOneBy(ChatGroup, { platform: event.platform, externalId: event.conversation.id }) : null;
    const target: OutboxTarget = group ? `group:${group.id}` : actor?.personId ? `person:${actor.personId}` : 'conv';
    await this.outbox.enqueue(em, [
      {
        kind: 'bot_reply',
        target,
        platform: event.platform,
        payload: { text, replyTo: { platform: event.platform, conversation: event.conversation, userId: event.userId, ...(event.replyHint ?? {}) } },
        dedupeKey: `inbox:${event.platform}:${event.eventId}:reply`,
        dueAt: this.clock.now(),
      },
    ]);
  }
}

export type { BotCommand };
