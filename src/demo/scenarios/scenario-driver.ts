import type { DataSource } from 'typeorm';
import type { TokenService } from '../../auth/token.service';
import type { BulletinService } from '../../bulletins/bulletin.service';
import type { ItemCommandsService } from '../../cases/item-commands.service';
import type { RegistrationService } from '../../cases/registration.service';
import { Person } from '../../org/person.entity';
import type { QuietHold } from '../../reminders/quiet-hold';
import type { Actor } from '../../shared/actor';
import { type Clock, DemoClock } from '../../shared/clock';
import { shanghaiDate, toShanghaiIso } from '../../shared/shanghai-time';
import type { SimCard, SimChat, SimMessage, SimPlatform, SimulatorPort } from '../simulator.port';
import { ScenarioStopped, ScenarioTrouble } from './scenario';

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

  /** Waits for a new entry in the chat (since the step began) whose record, or card, contains every piece of `texts`. */
  async waitFor(chat: SimChat, ...texts: string[]): Promise<SimMessage> {
    const since = this.marks.get(chat.id) ?? 0;
    return this.until(() => {
      const cards = new Map(this.s.sim.cards(chat.id).map((c) => [c.id, c]));
      return (this.s.sim.messages(chat.id) ?? []).find((m) => {
        if (m.seq <= since || m.from !== 'bot') return false;
        const all = JSON.stringify(m.body) + (m.cardId ? JSON.stringify(cards.get(m.cardId) ?? {}) : '');
        return texts.every((t) => all.includes(t));
      });
    }, `「${chat.title}」里没有等到${texts.join('、')}`);
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

  private async until<T>(probe: () => T | undefined, failure: string): Promise<T> {
    const end = Date.now() + this.patienceMs;
    for (;;) {
      this.check();
      const got = probe();
      if (got !== undefined) return got;
      if (Date.now() > end) throw new ScenarioTrouble(`${failure}（已等候${Math.round(this.patienceMs / 1000)}秒）。可以停止场景，在聊天里自己接着操作。`);
      await this.pause(POLL_MS);
    }
  }

  private check(): void {
    if (this.signal.aborted) throw new ScenarioStopped();
  }
}
