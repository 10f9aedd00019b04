import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../shared/actor';
import { OutboxWriter } from '../outbox/outbox.writer';
import type { OutboxTarget } from '../outbox/outbox-message.entity';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/errors';
import { shanghaiDate } from '../shared/shanghai-time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { inTransaction } from '../database/transaction';
import { insertRowsLater } from '../database/plain-sql';
import { isDatabaseUnavailable } from '../database/outage';
import type { BotEvent, BotResult } from './bot-event';
import { BotCommand, parseCommand } from './command.parser';
import { CommandExecutor } from './command.executor';
import { InboxEvent } from './inbox/inbox-event.entity';
import { InboxFailure } from './inbox/inbox-failure.entity';
import { tooLong } from '../cases/text-limits';
import { IdentityService } from './identity.service';
import { itemFormLink } from './platform-session.rules';
import { CardPlace, CardViewService } from './card-view.service';
import { CardInstance, type CardKind } from './card-instance.entity';
import { Item } from '../cases/item.entity';
import { HeldItem, watchCommands } from '../cases/command-runner';
import { DirectoryCache } from '../org/directory-cache';
import { CardPlaces, type KnownCard } from './card-places';

/** What one event's handling carries from its transaction to the answer: who acted, where the card sits, what its command held. */
interface Processed {
  actor?: Actor | null;
  place?: CardPlace | null;
  held?: Map<string, HeldItem>;
}

/**
 * Principle 4 — at-least-once in, exactly-once effect. For every BotEvent, in ONE transaction: find the person (P3),
 * parse, run the command, claim its platform id in inbox_event with the outcome (a repeat rolls back here), and queue
 * the reply in the outbox. A refused command rolls back; its refusal is claimed and answered in a transaction of its own.
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
    private readonly directory: DirectoryCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly placed: CardPlaces,
  ) {}

  async handle(event: BotEvent): Promise<BotResult> {
    let result: BotResult & Processed & { failed?: boolean };
    try {
      result = await this.process(event);
    } catch (e) {
      result = await this.afterFailure(event, e); // throws when the platform should deliver it again
    }
    this.log.log(
      JSON.stringify({
        event: 'bot_event',
        platform: event.platform,
        eventId: event.eventId,
        user: event.userId,
        duplicate: result.duplicate,
        item: result.itemNumber,
        failed: result.failed,
      }),
    );
    // A card click is answered in the ACK with the card as the clicker now sees it: as the click's own command left it
    // (issue 17: what it held under the item's lock is what it committed), else read after commit.
    if (event.cardAction && !result.failed) {
      const number = result.itemNumber ?? event.cardAction.params.number;
      const actor = result.actor ?? (await this.identity.resolve(event));
      const held = number ? result.held?.get(number) : undefined;
      const { outTrackId, action } = event.cardAction;
      if (held) result.card = (await this.cards.fromCommand(held, actor, result.place ?? null, action)) ?? undefined;
      else if (number) result.card = (await this.cards.forViewer(number, actor, outTrackId, action, result.place)) ?? undefined;
    }
    delete result.actor;
    delete result.failed;
    delete result.place;
    delete result.held;
    return result;
  }

  /**
   * READ COMMITTED: the identity lookup (and a card's first lookup) reads before the command locks its item, and under
   * REPEATABLE READ that first read fixes the snapshot — the command would then see the item's units as they were
   * before it waited for the lock (20 /签收 at once wrote 10 签收 events).
   *
   * Issue 17: the command runs in the event's transaction itself (`inner: 'join'`, no savepoint). When it is refused,
   * the whole transaction rolls back, and the refusal is claimed, recorded and answered in a transaction of its own — a
   * repeat delivery that comes in between runs the command again itself (and is refused again, or does what has become
   * possible), and the refusal's own claim then finds it and answers as a repeat.
   *
   * Issue 17: the inbox row is written once, already processed (who, what it did), after the command and in its
   * transaction — not claimed first and updated at the end. A repeat delivery is still applied at most once: its own
   * run of the command reaches the claim, finds the platform id there (a unique key: committed, or still being written
   * by the first delivery — then it waits for it) and rolls back everything it did (Repeat); it is answered as a
   * repeat. Two deliveries of one click meet at the item's lock first, so the second runs only after the first
   * committed. Nothing outside the transaction is written before the claim: the reply is queued after it.
   */
  private async process(event: BotEvent): Promise<BotResult & Processed> {
    let actor: Actor | null = null;
    let place: CardPlace | null | undefined;
    try {
      return await inTransaction(
        this.db,
        // The event's outbox rows (the command's notices, the reply) are written together, in one INSERT (issue 17).
        (em) =>
          this.outbox.gather(em, async () => {
            place = await this.fillCardNumber(em, event);
            actor = await this.identity.resolve(event, em);
            const held = new Map<string, HeldItem>();
            const outcome = await this.decide(event, actor, held);
            if (!(await this.claim(em, event, actor?.personId ?? null, (outcome.reply ?? '').slice(0, 500)))) throw new Repeat();
            await this.answer(em, event, actor, outcome);
            return { ...said(outcome), actor, place, held };
          }),
        // Issue 17: batched — the writes go to the server in a few round trips (src/database/transaction.ts).
        { isolation: 'READ COMMITTED', inner: 'join', batch: true },
      );
    } catch (e) {
      // Its run rolled back whole. The inbox row is held to the event's COMMIT (batch): a repeat's clash is found there.
      if (e instanceof Repeat || isInboxClash(e)) return { duplicate: true };
      if (!(e instanceof Refused)) throw e;
      const refused = e.outcome;
      // The refused command's writes went with its transaction; the refusal is claimed, recorded and answered on its own.
      return inTransaction(
        this.db,
        async (em) => {
          if (!(await this.claim(em, event, actor?.personId ?? null, (refused.reply ?? '').slice(0, 500)))) return { duplicate: true };
          await this.answer(em, event, actor, refused);
          return { ...said(refused), actor, place };
        },
        { isolation: 'READ COMMITTED' },
      );
    }
  }

  /**
   * A DingTalk click's answer rides in its ACK (the card's notice line); a WeCom card has no such line, so the clicker is
   * told in the chat as for a typed command (issue 14: a co-unit's 签收 went unconfirmed), and so is a hint to type a
   * command that needs words (WeCom's buttons carry no text).
   */
  private async answer(em: EntityManager, event: BotEvent, actor: Actor | null, outcome: Omit<BotResult, 'duplicate'>): Promise<void> {
    if (outcome.reply !== undefined && (!event.cardAction || event.platform === 'wecom')) await this.queueReply(em, event, actor, outcome.reply);
  }

  /**
   * Issue 11, the poison message: handling failed and its transaction rolled back (the inbox row too). A failure that
   * will pass (the database unreachable, a deadlock) is thrown on, unrecorded, so the platform delivers the event again.
   * Any other failure is counted per platform event id outside the failed transaction; below MAX_ATTEMPTS it is thrown
   * on as well (it may still have been a passing fault); at MAX_ATTEMPTS the event is recorded as failed in inbox_event,
   * the person is told, and the result is returned so the transport acknowledges it. If even the counting fails, the
   * database is the problem: thrown on, not acknowledged.
   */
  private async afterFailure(event: BotEvent, error: unknown): Promise<BotResult & { failed?: true }> {
    if (isPassingFault(error)) throw error;
    let attempts: number;
    try {
      // Issue 17: a repeat runs its command before it reaches the inbox row (process): one handled — or given up —
      // already, whose command fails now, is a repeat like any other, not a failure to count.
      if (await this.db.getRepository(InboxEvent).existsBy({ platform: event.platform, eventId: event.eventId })) return { duplicate: true };
      attempts = await this.countFailure(event, error);
    } catch {
      throw error;
    }
    this.log.warn(JSON.stringify({ event: 'bot_event_failed', platform: event.platform, eventId: event.eventId, attempts, error: describeError(error) }));
    if (attempts < MAX_ATTEMPTS) throw error;
    try {
      return await this.giveUp(event, error, attempts);
    } catch {
      throw error;
    }
  }

  private async countFailure(event: BotEvent, error: unknown): Promise<number> {
    const repo = this.db.getRepository(InboxFailure);
    const key = { platform: event.platform, eventId: event.eventId };
    const now = this.clock.now();
    const lastError = describeError(error).slice(0, 500);
    const bump = () =>
      repo
        .createQueryBuilder()
        .update(InboxFailure)
        .set({ attempts: () => 'attempts + 1', lastError, lastAt: now })
        .where('platform = :platform AND event_id = :eventId', key)
        .execute();
    if (!(await bump()).affected) {
      try {
        await repo.insert({ ...key, attempts: 1, lastError, firstAt: now, lastAt: now });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        await bump(); // another instance counted the same event at the same moment
      }
    }
    return (await repo.findOneByOrFail(key)).attempts;
  }

  /** Record the event as failed, tell the person (a reply for a message; the click's ACK carries it for a card). */
  private giveUp(event: BotEvent, error: unknown, attempts: number): Promise<BotResult & { failed: true }> {
    return inTransaction(this.db, async (em) => {
      const actor = await this.identity.resolve(event, em).catch(() => null);
      const outcome = `failed after ${attempts} attempts: ${describeError(error)}`.slice(0, 500);
      if (!(await this.claim(em, event, actor?.personId ?? null, outcome))) return { duplicate: true, failed: true as const };
      const reply = FAILED_REPLY;
      if (!event.cardAction) await this.queueReply(em, event, actor, reply);
      return { duplicate: false, reply, failed: true as const };
    });
  }

  /**
   * A click names its card; the card knows its item (a click's own params are not trusted for that). Returns where the
   * card sits (null: no such card; undefined: not a card click).
   */
  private async fillCardNumber(em: EntityManager, event: BotEvent): Promise<CardPlace | null | undefined> {
    const action = event.cardAction;
    if (!action?.outTrackId) return undefined;
    const known = this.placed.get(action.outTrackId) ?? (await this.lookUpCard(em, action.outTrackId));
    if (!known) return null;
    action.inGroup = known.inGroup;
    if (known.number) action.params = { ...action.params, number: known.number };
    return known.place;
  }

  private async lookUpCard(em: EntityManager, outTrackId: string): Promise<KnownCard | null> {
    // The card and its item's number in one read.
    const card = await em
      .createQueryBuilder(CardInstance, 'c')
      .leftJoin(Item, 'i', 'i.id = c.item_id')
      .select(['c.kind AS kind', 'c.target AS target', 'c.subject AS subject', 'i.number AS number'])
      .where('c.out_track_id = :outTrackId', { outTrackId })
      .getRawOne<{ kind: CardKind; target: CardPlace['target']; subject: string | null; number: string | null }>();
    if (!card) return null;
    const known = { place: { kind: card.kind, target: card.target }, number: card.subject ?? card.number ?? null, inGroup: card.target.startsWith('group:') };
    this.placed.remember(outTrackId, known);
    return known;
  }

  /**
   * Insert the platform id (with who and what, when that is known already); a unique-key clash means we have seen it
   * (even if the first is still committing: it waits). Nothing is read back (issue 17: insert() selected the row's
   * defaults again).
   */
  private async claim(em: EntityManager, event: BotEvent, personId: number | null, outcome: string | null): Promise<boolean> {
    try {
      // Held in the event's transaction (issue 17): sent with its COMMIT, where a clash is the repeat (process).
      await insertRowsLater(em, InboxEvent, [
        { platform: event.platform, eventId: event.eventId, kind: event.cardAction ? 'card' : 'text', personId, outcome },
      ]);
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  /** `held`: what the command ran for the event held when it ended (watchCommands); emptied when it was refused. */
  private async decide(event: BotEvent, actor: Actor | null, held: Map<string, HeldItem>): Promise<Omit<BotResult, 'duplicate'> & { typeHint?: boolean }> {
    const hint = actor ? typeHint(event, this.formLink(event)) : null;
    // WeCom shows nothing but the card in answer to a click: the hint goes out as a message; DingTalk shows it on the card.
    if (hint) return { reply: hint, itemNumber: event.cardAction?.params.number, typeHint: event.platform === 'wecom' };
    const parsed = this.parse(event);
    // Ordinary group chat stays unanswered; text meant for the bot that is no command gets a short answer (issue 14).
    if (!parsed.ok && parsed.code === 'NOT_A_COMMAND' && !addressed(event)) return {};
    if (!actor) return { reply: IdentityService.bindingHint(event) };
    if (!parsed.ok && parsed.code === 'NOT_A_COMMAND') return { reply: await this.executor.greet(actor, event.text ?? '') };
    if (!parsed.ok) return { reply: (event.cardAction && buttonHint(event.cardAction, !inGroup(event), this.formLink(event))) || parsed.message };
    // Texts longer than their columns are refused here, in words, instead of failing in the database.
    const long = tooLongInChat(parsed.command);
    if (long) return { reply: long, itemNumber: 'number' in parsed.command ? parsed.command.number : undefined };
    try {
      return await watchCommands(held, () => this.executor.run(parsed.command, actor, { inGroup: inGroup(event) }));
    } catch (e) {
      held.clear(); // rolled back: nothing the command held is committed
      // The transaction is rolled back whole and the refusal recorded in one of its own (process).
      if (e instanceof DomainError) throw new Refused({ reply: e.message, itemNumber: 'number' in parsed.command ? parsed.command.number : undefined });
      throw e;
    }
  }

  /**
   * Issue 15: where DUBAN_PUBLIC_URL is set, a button that needs text also offers the console's page of the item with
   * that form open (`/items/{number}?do=延期`); opened in WeCom or DingTalk, the console signs the person in on the way.
   */
  private formLink(event: BotEvent): string | null {
    const action = event.cardAction;
    if (!action?.params.number || !this.config.publicUrlGiven) return null;
    return itemFormLink(this.config.publicBaseUrl, action.params.number, action.action);
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
      'ext:approve': `/批准延期 ${n} ${params.note ?? ''}`,
      'ext:reject': `/驳回延期 ${n} ${params.reason ?? ''}`,
      'bulletin:approve': `/通报审定 ${n} 同意 ${params.note ?? ''}`,
      'bulletin:reject': `/通报审定 ${n} 退回 ${params.reason ?? ''}`,
    };
    const rate = /^rate:(excellent|good|pass|fail)$/.exec(action);
    const text = rate ? `/评定 ${n} ${rate[1]} ${params.comment ?? ''}` : typed[action];
    if (!text) return { ok: false, code: 'UNKNOWN_COMMAND', message: '这个按钮已失效，请刷新卡片后重试。' };
    return parseCommand(text, opts);
  }

  private async queueReply(em: EntityManager, event: BotEvent, actor: Actor | null, text: string): Promise<void> {
    const group = event.conversation.type === 'group' ? await this.directory.groupByExternalId(event.platform, event.conversation.id, em) : null;
    const target: OutboxTarget = group ? `group:${group.id}` : actor?.personId ? `person:${actor.personId}` : 'conv';
    await this.outbox.enqueue(em, [
      {
        kind: 'bot_reply',
        target,
        platform: event.platform,
        payload: { text, replyTo: { platform: event.platform, conversation: event.conversation, userId: event.userId, ...(event.replyHint ?? {}) } },
        dedupeKey: `inbox:${event.platform}:${event.eventId}:reply`,
        dueAt: this.clock.now(),
        hold: false, // R10: the answer to his own command — he is awake and waiting for it
      },
    ]);
  }
}

export type { BotCommand };

/** The outcome as the event's result carries it (the WeCom type hint flag is the router's own). */
function said(outcome: Omit<BotResult, 'duplicate'> & { typeHint?: boolean }): BotResult {
  const { typeHint: _, ...rest } = outcome;
  return { duplicate: false, ...rest };
}

/** The event's platform id is in the inbox already (a repeat delivery): its run rolls back whole. */
class Repeat extends Error {
  constructor() {
    super('repeat delivery');
  }
}

/** The event's command was refused (a DomainError): its transaction rolls back, and the answer is recorded on its own. */
class Refused extends Error {
  constructor(readonly outcome: Omit<BotResult, 'duplicate'>) {
    super('command refused');
  }
}

/**
 * Issue 14: a button that needs words (a WeCom button has no input box; a DingTalk one may be sent empty) answers with
 * the command to type, this item's number filled in.
 */
function buttonHint(action: NonNullable<BotEvent['cardAction']>, direct: boolean, link: string | null = null): string | null {
  const n = action.params.number;
  if (!n) return null;
  // In a group the bot hears only what @-mentions it; one to one, a plain reply is enough.
  const send = direct ? '直接回复' : ' @督办助手 发送';
  const hints: Record<string, string> = {
    report: `请写上办理进展后${send}：/反馈 ${n} 办理进展`,
    extend: `请写上新日期和理由后${send}：/延期 ${n} 新日期 理由`,
    close: `请写上办结情况后${send}：/办结 ${n} 办结情况`,
    return: `请写上退回理由后${send}：/退回 ${n} 理由`,
    'ext:reject': `请写上不同意的理由后${send}：/驳回延期 ${n} 理由`,
  };
  const hint = hints[action.action];
  if (!hint) return null;
  return link ? `${hint}\n也可以点开链接，在督办系统里填写：${link}` : hint;
}

/** Where the person will type the command a hint asks for: the card's place for a click, else the conversation. */
const inGroup = (event: BotEvent): boolean => event.cardAction?.inGroup ?? event.conversation.type === 'group';

/** Issue 14: one-to-one messages are meant for the bot; a group message when the platform says it @-mentions the bot. */
const addressed = (event: BotEvent): boolean => event.addressed ?? event.conversation.type === 'direct';

/** How many times handling one platform event may fail before it is recorded as failed and acknowledged. */
export const MAX_ATTEMPTS = 3;

const FAILED_REPLY = `抱歉，这条消息系统试了 ${MAX_ATTEMPTS} 次仍未能处理，没有办理任何事项。请核对内容后重新发送；如仍不成功，请把这条消息截图发给督查室。`;

/**
 * Issue 14: a button that needs text (a report, a reason) clicked without any — WeCom's template cards have no input
 * box; on DingTalk the box was left empty — answers with the exact command to type, with the item's number filled in.
 */
const TYPE_INSTEAD: Record<string, { key: string; command: string }> = {
  report: { key: 'content', command: '/反馈 {n} 进展内容' },
  extend: { key: 'reason', command: '/延期 {n} 新日期 理由' },
  close: { key: 'summary', command: '/办结 {n} 办理情况' },
  return: { key: 'reason', command: '/退回 {n} 理由' },
  'ext:reject': { key: 'reason', command: '/驳回延期 {n} 理由' },
};
function typeHint(event: BotEvent, link: string | null): string | null {
  const action = event.cardAction;
  if (!action) return null;
  const need = TYPE_INSTEAD[action.action];
  const n = action.params.number;
  if (!need || !n || (action.params[need.key] ?? '').trim() !== '') return null;
  return buttonHint(action, !inGroup(event), link) ?? `请直接回复：${need.command.replace('{n}', n)}`;
}

function tooLongInChat(cmd: BotCommand): string | null {
  switch (cmd.name) {
    case 'report':
      return tooLong('report', cmd.content);
    case 'close':
      return tooLong('closureSummary', cmd.summary);
    case 'extend':
      return tooLong('extensionReason', cmd.reason);
    case 'return':
      return tooLong('returnReason', cmd.reason);
    case 'rate':
      return tooLong('ratingComment', cmd.comment);
    case 'clue_audit':
    case 'bulletin_approve':
      return tooLong('auditNote', cmd.text);
    case 'refuse_extension':
      return tooLong('decisionNote', cmd.reason);
    case 'approve_extension':
      return tooLong('decisionNote', cmd.note);
    default:
      return null;
  }
}

const codeOf = (e: unknown): string | undefined => {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The platform id already in inbox_event (its unique key uq_inbox_event): a repeat delivery. */
function isInboxClash(e: unknown): boolean {
  if (!isDuplicateKey(e)) return false;
  const err = e as { message?: string; driverError?: { message?: string } };
  return /uq_inbox_event|inbox_event\.(platform|event_id)/.test(`${err.driverError?.message ?? ''} ${err.message ?? ''}`);
}

function isDuplicateKey(e: unknown): boolean {
  const code = codeOf(e);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Faults that pass by themselves besides the database being away (src/database/outage.ts decides that): the database busy
 * (a deadlock, a lock wait, a query interrupted, a read-only moment during a failover, SQLite busy). The platform should
 * try again.
 */
const PASSING_CODES = new Set([
  'ER_QUERY_INTERRUPTED',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_OPTION_PREVENTS_STATEMENT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
const PASSING_ERRORS = new Set(['CannotExecuteNotConnectedError', 'ConnectionIsNotSetError', 'QueryRunnerAlreadyReleasedError', 'ConnectionNotFoundError']);

function isPassingFault(e: unknown): boolean {
  if (isDatabaseUnavailable(e)) return true; // the one rule for "the database is away" (src/database/outage.ts)
  const err = e as { fatal?: unknown; name?: unknown; message?: unknown; driverError?: { fatal?: unknown } } | null;
  if (PASSING_CODES.has(codeOf(e) ?? '')) return true;
  if (err?.fatal === true || err?.driverError?.fatal === true) return true; // mysql2: the connection itself broke
  return typeof err?.name === 'string' && PASSING_ERRORS.has(err.name);
}

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
