import { type DataSource, LessThanOrEqual } from 'typeorm';
import type { TokenService } from '../../auth/token.service';
import type { BulletinService } from '../../bulletins/bulletin.service';
import type { ItemCommandsService } from '../../cases/item-commands.service';
import type { DeadlineSpec } from '../../cases/deadline.rules';
import type { RegisterInput, RegistrationService } from '../../cases/registration.service';
import { Item } from '../../cases/item.entity';
import { Person } from '../../org/person.entity';
import { OutboxMessage } from '../../outbox/outbox-message.entity';
import { Reminder } from '../../reminders/reminder.entity';
import { Unit } from '../../org/unit.entity';
import type { QuietHold } from '../../reminders/quiet-hold';
import type { Actor } from '../../shared/actor';
import { type Clock, DemoClock } from '../../shared/clock';
import { shanghaiDate, toShanghaiIso } from '../../shared/shanghai-time';
import type { SimCard, SimChat, SimMessage, SimPlatform, SimulatorPort } from '../simulator.port';
import { ScenarioStopped, ScenarioTrouble } from './scenario-errors';

/** What a scenario may use: the chats (as a visitor acts in them), the console's services (as a person), the demo clock. */
export interface ScenarioServices {
  sim: SimulatorPort;
  clock: Clock;
  db: DataSource;
  tokens: TokenService;
  registration: RegistrationService;
  commands: ItemCommandsService;
  bulletins: BulletinService;
  quiet: QuietHold;
}

const PLATFORM_NAMES: Record<SimPlatform, string> = { dingtalk: '钉钉', wecom: '企业微信' };
const POLL_MS = 250;
/** A little more than the demo's reminder tick (1 s) and outbox poll. */
const CLOSED = ['closed', 'archived'];

/** A card's buttons as one person sees them now (DingTalk: their private ones if the card keeps some for them). */
export function cardActions(card: SimCard, userId: string): string[] {
  if (card.platform === 'wecom') {
    if (card.replacedName !== undefined) return [];
    const list = card.templateCard?.button_list;
    return Array.isArray(list) ? list.map((b) => String((b as { key?: unknown }).key ?? '')) : [];
  }
  const raw = card.privateParams?.[userId]?.buttons ?? card.params?.buttons ?? '[]';
  try {
    const list = JSON.parse(raw) as unknown;
    return Array.isArray(list) ? list.map((b) => String((b as { id?: unknown }).id ?? '')) : [];
  } catch {
    return [];
  }
}

/**
 * The hands of a scenario. Every act is one a visitor could do: say and click in a chat as a demo person (through the
 * simulator, so through the fake platform), a console call as a demo person (the same service the API calls, with that
 * person's roles), the demo clock moved ahead. It waits for what an act causes to show in the chats, and stops waiting
 * the moment the visitor presses 停止.
 */
export class ScenarioDriver {
  /** Each chat's last entry when the step began: a step waits only for what came after it. */
  private marks = new Map<string, number>();

  constructor(
    private readonly s: ScenarioServices,
    private readonly signal: AbortSignal,
    /** How long (real time) to wait for something to arrive before saying it did not. */
    private readonly patienceMs: number,
    /** A short pause (real time) between things a step shows one after another. */
    private readonly beatMs = 1_000,
    /** Between the two looks of settle(): longer than one reminder tick. */
    private readonly settleLookMs = 1_200,
  ) {}

  /** The runner calls this as each step begins. */
  markStep(): void {
    for (const chat of this.s.sim.chats()) this.marks.set(chat.id, this.s.sim.messages(chat.id)?.at(-1)?.seq ?? 0);
  }

  // ---- chats -----------------------------------------------------------------------------------------------------

  group(title: string, platform: SimPlatform): SimChat {
    return this.find((c) => c.kind === 'group' && c.title === title && c.platform === platform, `${title}（${PLATFORM_NAMES[platform]}）`);
  }

  /** A person's one-to-one chat with the bot on a platform. */
  direct(name: string, platform: SimPlatform): SimChat {
    return this.find((c) => c.kind === 'direct' && c.title === name && c.platform === platform, `${name}与督办助手的${PLATFORM_NAMES[platform]}单聊`);
  }

  /** Type in a chat as a member (the @督办助手 is added in a group), through the platform fake. */
  async say(chat: SimChat, name: string, text: string): Promise<void> {
    this.check();
    await this.s.sim.act({ type: 'text', chatId: chat.id, userId: this.member(chat, name), text });
  }

  /**
   * Press a card's button as a member: waits until a card in the chat that mentions `about` (an item's or a 通报's
   * number) offers this person the button, then presses it through the platform fake.
   */
  async click(chat: SimChat, name: string, about: string, action: string, input?: Record<string, string>): Promise<void> {
    const userId = this.member(chat, name);
    const card = await this.until(
      () =>
        this.s.sim
          .cards(chat.id)
          .reverse()
          .find((c) => JSON.stringify(c).includes(about) && cardActions(c, userId).includes(action)),
      `「${chat.title}」里 ${about} 的卡片上没有出现要点的按钮`,
    );
    await this.s.sim.act({ type: 'click', chatId: chat.id, userId, cardId: card.id, action, ...(input ? { input } : {}) });
  }

  /**
   * Press a button on a card that reached this person in any chat (one to one on whichever platform the service chose):
   * waits for it, presses it, and says where it was (「赵副市长（钉钉单聊）」).
   */
  async clickWherever(name: string, about: string, action: string, input?: Record<string, string>): Promise<string> {
    const [chat, card, userId] = await this.button(name, about, action);
    await this.s.sim.act({ type: 'click', chatId: chat.id, userId, cardId: card.id, action, ...(input ? { input } : {}) });
    return this.where(chat);
  }

  /** Waits until a card that mentions `about` offers this person the button, in any chat; says where. */
  async waitForButton(name: string, about: string, action: string): Promise<string> {
    return this.where((await this.button(name, about, action))[0]);
  }

  private button(name: string, about: string, action: string): Promise<readonly [SimChat, SimCard, string]> {
    return this.until(() => {
      for (const chat of this.s.sim.chats()) {
        const userId = chat.members.find((m) => m.name === name)?.userId;
        if (!userId) continue;
        const card = this.s.sim
          .cards(chat.id)
          .reverse()
          .find((c) => JSON.stringify(c).includes(about) && cardActions(c, userId).includes(action));
        if (card) return [chat, card, userId] as const;
      }
      return undefined;
    }, `${name}没有收到 ${about} 的卡片`);
  }

  /** Waits for a new entry in the chat (since the step began) whose record, or card, contains every piece of `texts`. */
  async waitFor(chat: SimChat, ...texts: string[]): Promise<SimMessage> {
    const since = this.marks.get(chat.id) ?? 0;
    return this.until(
      () => {
        const cards = new Map(this.s.sim.cards(chat.id).map((c) => [c.id, c]));
        return (this.s.sim.messages(chat.id) ?? []).find((m) => {
          if (m.seq <= since || m.from !== 'bot') return false;
          const all = JSON.stringify(m.body) + (m.cardId ? JSON.stringify(cards.get(m.cardId) ?? {}) : '');
          return texts.every((t) => all.includes(t));
        });
      },
      `「${chat.title}」里没有等到${texts.join('、')}`,
    );
  }

  /** Waits for a new entry in any chat containing every piece of `texts`; says which chat (「王督查（钉钉单聊）」). */
  async waitForAnywhere(...texts: string[]): Promise<string> {
    const chat = await this.until(
      () =>
        this.s.sim.chats().find((c) =>
          (this.s.sim.messages(c.id) ?? []).some((m) => {
            if (m.seq <= (this.marks.get(c.id) ?? 0) || m.from !== 'bot') return false;
            const all = JSON.stringify(m.body);
            return texts.every((t) => all.includes(t));
          }),
        ),
      `聊天里没有等到${texts.join('、')}`,
    );
    return this.where(chat);
  }

  /** 「王督查（钉钉单聊）」, 「财政局督办群（企业微信群）」. */
  where(chat: SimChat): string {
    return `${chat.title}（${PLATFORM_NAMES[chat.platform]}${chat.kind === 'direct' ? '单聊' : '群'}）`;
  }

  /** Waits until a card in the chat that mentions `about` says `text` (a card changes in place). */
  async waitForCard(chat: SimChat, about: string, text: string): Promise<void> {
    await this.until(
      () => this.s.sim.cards(chat.id).find((c) => JSON.stringify(c).includes(about) && JSON.stringify(c).includes(text)),
      `「${chat.title}」里 ${about} 的卡片没有变为「${text}」`,
    );
  }

  // ---- the console, as a person ----------------------------------------------------------------------------------

  /** A demo person as the console knows them when signed in (their roles, their office). */
  async as(name: string): Promise<Actor> {
    const person = await this.s.db.getRepository(Person).findOneBy({ name });
    const actor = person && (await this.s.tokens.actorFor(person.id, 'api'));
    if (!actor) throw new ScenarioTrouble(`演示人员「${name}」不在本演示的组织中，场景无法继续。请用 npm run demo 重新启动演示。`);
    return actor;
  }

  async personId(name: string): Promise<number> {
    return (await this.as(name)).personId!;
  }

  /**
   * The 督查室 registers an item in the console (立项) and hands it over (交办) at once, as `by`; returns its number.
   * Units are given by their code in the demo organisation.
   */
  async registerAndAssign(
    by: string,
    input: { title: string; content: string; source: RegisterInput['source']; leader: string; lead: string; co?: string[]; deadline: DeadlineSpec },
  ): Promise<string> {
    this.check();
    const actor = await this.as(by);
    const units = await this.s.db.getRepository(Unit).find();
    const unit = (code: string) => {
      const u = units.find((x) => x.code === code);
      if (!u) throw new ScenarioTrouble(`演示组织中没有单位「${code}」，场景无法继续。`);
      return u.id;
    };
    const item = await this.s.registration.register(
      {
        title: input.title,
        content: input.content,
        source: input.source,
        leaderId: await this.personId(input.leader),
        leadUnitId: unit(input.lead),
        coUnitIds: (input.co ?? []).map(unit),
        deadline: input.deadline,
      },
      actor,
    );
    await this.s.commands.assign(item.number, actor);
    return item.number;
  }

  get services(): Pick<ScenarioServices, 'registration' | 'commands' | 'bulletins' | 'db'> {
    this.check();
    return this.s;
  }

  // ---- the demo clock -------------------------------------------------------------------------------------------

  now(): Date {
    return this.s.clock.now();
  }

  /** Moves the demo clock ahead (never back). */
  advanceTo(at: Date): void {
    this.check();
    const ms = at.getTime() - this.now().getTime();
    if (ms > 0) this.demoClock().advance(ms);
  }

  /**
   * Notices wait out the night and rest days (R10): if it is now 22:00–08:00 or a rest day on the demo clock, move it
   * to the next working morning's 09:00 so what the scenario does is seen at once. Returns the time it moved to.
   */
  async toWorkingTime(): Promise<string | undefined> {
    const now = this.now();
    const sendAt = await this.s.quiet.sendAt(now);
    if (sendAt.getTime() <= now.getTime()) return undefined;
    this.advanceTo(new Date(sendAt.getTime() + 60 * 60_000));
    return this.when(this.now());
  }

  /**
   * Moves the demo clock to the item's next planned reminder and waits until everything due by then has gone out
   * (then a beat, so the visitor sees it land). Undefined: nothing more within `withinDays`, or the item is closed.
   */
  async nextReminder(number: string, withinDays = 14): Promise<Reminder | undefined> {
    const next = await this.upcomingReminder(number, withinDays);
    if (next) {
      this.advanceTo(new Date(next.dueAt.getTime() + 1_000));
      await this.settle();
      await this.pause(this.beatMs);
    }
    return next;
  }

  /**
   * The item's next planned reminder, without sending it: the clock goes as far as the planner has looked ahead (where
   * nothing is due), then waits for it to plan further. Everything due before it has gone out.
   */
  async upcomingReminder(number: string, withinDays = 14): Promise<Reminder | undefined> {
    const items = this.s.db.getRepository(Item);
    const reminders = this.s.db.getRepository(Reminder);
    const item = await items.findOneBy({ number });
    if (!item) throw new ScenarioTrouble(`没有事项 ${number}，场景无法继续。`);
    const limit = this.now().getTime() + withinDays * 24 * 60 * 60_000;
    await this.settle();
    while (this.now().getTime() < limit) {
      const next = await reminders.findOne({ where: { itemId: item.id, status: 'pending' }, order: { dueAt: 'ASC', id: 'ASC' } });
      if (next) return next;
      const now = await items.findOneByOrFail({ id: item.id });
      if (CLOSED.includes(now.state)) return undefined;
      const planned = now.remindersPlannedUntil;
      if (planned && planned.getTime() - 60_000 > this.now().getTime()) {
        // Nothing due before the planner's horizon: go there, and let it look further ahead.
        this.advanceTo(new Date(planned.getTime() - 60_000));
        await this.until(async () => {
          const again = (await items.findOneByOrFail({ id: item.id })).remindersPlannedUntil;
          return again && again.getTime() !== planned.getTime() ? true : undefined;
        }, `${number} 的提醒没有排出来`);
        await this.settle();
      } else await this.pause(POLL_MS * 2);
    }
    return undefined;
  }

  /**
   * Waits until nothing is left due by the demo clock — no reminder, no message in the outbox — so a jump never skips
   * over what should have gone out at the time jumped from. Two looks a reminder tick apart.
   */
  async settle(): Promise<void> {
    const quiet = async () => {
      const at = this.now();
      const [r, o] = await Promise.all([
        this.s.db.getRepository(Reminder).countBy({ status: 'pending', dueAt: LessThanOrEqual(at) }),
        this.s.db.getRepository(OutboxMessage).countBy({ status: 'pending', dueAt: LessThanOrEqual(at), attempts: 0 }),
      ]);
      return r + o === 0;
    };
    const end = Date.now() + Math.min(this.patienceMs, 20_000);
    let calm = 0;
    while (calm < 2 && Date.now() < end) {
      calm = (await quiet()) ? calm + 1 : 0;
      await this.pause(this.settleLookMs);
    }
  }

  /** 12月3日 09:00 (Asia/Shanghai), for captions. */
  when(at: Date): string {
    const [, m, d] = shanghaiDate(at).split('-').map(Number);
    return `${m}月${d}日 ${toShanghaiIso(at)!.slice(11, 16)}`;
  }

  /** Waits a little (real time), unless the visitor stops. */
  async pause(ms: number): Promise<void> {
    this.check();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done, { once: true });
    });
    this.check();
  }

  // ---- inside -----------------------------------------------------------------------------------------------------

  private demoClock(): DemoClock {
    if (!(this.s.clock instanceof DemoClock)) throw new ScenarioTrouble('演示时钟未启用（仅 npm run demo 提供），这个场景无法拨动时间。');
    return this.s.clock;
  }

  private find(test: (c: SimChat) => boolean, what: string): SimChat {
    const chat = this.s.sim.chats().find(test);
    if (!chat) throw new ScenarioTrouble(`演示中没有${what}，场景无法继续。请用 npm run demo 重新启动演示。`);
    return chat;
  }

  private member(chat: SimChat, name: string): string {
    const m = chat.members.find((p) => p.name === name);
    if (!m) throw new ScenarioTrouble(`${name}不在「${chat.title}」中，场景无法继续。`);
    return m.userId;
  }

  private async until<T>(probe: () => T | undefined | Promise<T | undefined>, failure: string): Promise<T> {
    const end = Date.now() + this.patienceMs;
    for (;;) {
      this.check();
      const got = await probe();
      if (got !== undefined) return got;
      if (Date.now() > end) throw new ScenarioTrouble(`${failure}（已等候${Math.round(this.patienceMs / 1000)}秒）。可以停止场景，在聊天里自己接着操作。`);
      await this.pause(POLL_MS);
    }
  }

  private check(): void {
    if (this.signal.aborted) throw new ScenarioStopped();
  }
}
