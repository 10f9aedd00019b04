import type { FakeDingTalk, WorldEvent as DingEvent } from '../../fakes/dingtalk';
import type { FakeWeCom, WorldEvent as WeComEvent } from '../../fakes/wecom';
import type { SimAction, SimCard, SimChat, SimEvent, SimMessage, SimPerson, SimPlatform, SimulatorPort } from '../../src/demo/simulator.port';
import { SimRefusal } from '../../src/demo/simulator.port';
import type { OrgImport } from '../../src/org/org-import.parser';
import type { Clock } from '../../src/shared/clock';
import { toShanghaiIso } from '../../src/shared/shanghai-time';

/** What the bot is called in the groups; typed before a person's text, as a phone adds the mention. */
export const BOT_NAME = '督办助手';
/** A chat keeps its latest entries only (a long demo at a fast clock sends many reminders). */
const KEEP_PER_CHAT = 400;

interface ChatLog {
  chat: SimChat;
  externalId: string;
  messages: SimMessage[];
  seq: number;
  /** The fake's place of a recorded message → its seq here (a streamed reply is refreshed in place). */
  bySlot: Map<number, number>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

interface DingButton {
  id: string;
  label: string;
  input?: { key: string; placeholder?: string };
}

/**
 * Issue 16: the SimulatorPort over the platform fakes of `npm run demo`. It listens to what lands at the fakes (their
 * watch()) and stamps each entry with the service's clock; it acts as a person only through the fakes' real paths —
 * DingTalk: a Stream frame (sendGroupText, sendDirectText, clickCardButton); WeCom: the AI bot's long connection
 * (botGroupText, botDirectText, botCardClick) or the self-built app's encrypted callback (appCardClick for its cards).
 */
export class FakesSimulator implements SimulatorPort {
  private readonly logs = new Map<string, ChatLog>();
  private readonly listeners = new Set<(e: SimEvent) => void>();
  private readonly unwatch: (() => void)[] = [];

  constructor(
    private readonly ding: FakeDingTalk,
    private readonly wx: FakeWeCom,
    private readonly clock: Clock,
    org: OrgImport,
    private readonly wecomAgentId: number,
  ) {
    const people = org.people;
    const units = new Map(org.units.map((u) => [u.code, u.name]));
    const account = (p: OrgImport['people'][number], platform: SimPlatform) => (platform === 'dingtalk' ? p.dingtalkUserId : p.wecomUserId);
    const add = (platform: SimPlatform, kind: 'group' | 'direct', externalId: string, title: string, members: SimPerson[]) => {
      const chat: SimChat = { id: `${platform}:${kind}:${externalId}`, platform, kind, title, members };
      this.logs.set(chat.id, { chat, externalId, messages: [], seq: 0, bySlot: new Map() });
    };
    for (const g of org.groups ?? []) {
      const platform = g.platform as SimPlatform;
      // A unit's group holds its own people; the 督查室, owners and leaders (no unit) sit in every group.
      const members = people
        .filter((p) => account(p, platform) && (g.purpose === 'broadcast' || !p.unitCode || p.unitCode === g.unitCode))
        .map((p) => ({ userId: account(p, platform)!, name: p.name }));
      add(platform, 'group', g.externalId, g.name ?? units.get(g.unitCode ?? '') ?? g.externalId, members);
    }
    for (const platform of ['dingtalk', 'wecom'] as const)
      for (const p of people) {
        const id = account(p, platform);
        if (id) add(platform, 'direct', id, p.name, [{ userId: id, name: p.name }]);
      }
    this.unwatch.push(
      ding.watch((e) => this.fromDing(e)),
      wx.watch((e) => this.fromWeCom(e)),
    );
  }

  /** The demo is stopping: streams end. */
  close(): void {
    for (const u of this.unwatch.splice(0)) u();
    this.emit({ type: 'closed' });
    this.listeners.clear();
  }

  chats(): SimChat[] {
    return [...this.logs.values()].map((l) => l.chat);
  }

  messages(chatId: string): SimMessage[] | undefined {
    return this.logs.get(chatId)?.messages.slice();
  }

  cards(chatId: string): SimCard[] {
    const log = this.logs.get(chatId);
    if (!log) return [];
    const ids = [...new Set(log.messages.map((m) => m.cardId).filter((id): id is string => !!id))];
    return ids.map((id) => this.card(log.chat.platform, id)).filter((c): c is SimCard => !!c);
  }

  subscribe(listener: (e: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async act(action: SimAction): Promise<void> {
    const log = this.logs.get(action.chatId);
    if (!log) throw new SimRefusal('没有这个聊天。请刷新演示页面，从聊天列表中选择。', 'chatId');
    const who = log.chat.members.find((m) => m.userId === action.userId);
    if (!who) throw new SimRefusal(`所选的人不在「${log.chat.title}」中。请在「我是…」里换一位该聊天的成员。`, 'userId');
    if (action.type === 'text') return this.say(log, who, action.text);
    return this.click(log, who, action.cardId, action.action, action.input ?? {});
  }

  // ---- acting, through the fakes' real paths -------------------------------------------------------------------

  private async say(log: ChatLog, who: SimPerson, text: string): Promise<void> {
    const { chat } = log;
    const group = chat.kind === 'group';
    const shown = group ? `@${BOT_NAME} ${text}` : text;
    this.add(log, { from: 'person', sender: who, body: { msgtype: 'text', text: { content: shown } } });
    if (chat.platform === 'dingtalk') {
      // DingTalk cuts the @-mention out of the text it pushes over Stream.
      if (group)
        await this.ding.sendGroupText({ conversationId: log.externalId, conversationTitle: chat.title, senderStaffId: who.userId, senderNick: who.name, text });
      else await this.ding.sendDirectText({ senderStaffId: who.userId, senderNick: who.name, text });
      return;
    }
    const sent = group
      ? await this.wx.botGroupText({ chatId: log.externalId, userId: who.userId, text: shown })
      : await this.wx.botDirectText({ userId: who.userId, text });
    if (!sent.delivered) throw new SimRefusal('企业微信智能机器人还没有连上督办服务，消息未送达。请过几秒再发一次。');
  }

  private async click(log: ChatLog, who: SimPerson, cardId: string, action: string, input: Record<string, string>): Promise<void> {
    if (!log.messages.some((m) => m.cardId === cardId)) throw new SimRefusal('这张卡片不在这个聊天里。请刷新演示页面后再点。', 'cardId');
    const gone = '这张卡片上已没有这个按钮（可能已经有人处理过）。请看卡片上现在的按钮。';
    if (log.chat.platform === 'dingtalk') {
      const card = this.ding.cards().get(cardId);
      if (!card) throw new SimRefusal(gone, 'action');
      const button = this.dingButtons(card.cardParamMap, card.privateData?.[who.userId]?.cardParamMap).find((b) => b.id === action);
      if (!button) throw new SimRefusal(gone, 'action');
      const params: Record<string, string> = {};
      if (button.input) {
        const value = (input[button.input.key] ?? '').trim();
        if (!value)
          throw new SimRefusal(
            `请先在「${button.label}」的输入框里填写${button.input.placeholder ? `（${button.input.placeholder}）` : '内容'}，再点击。`,
            'input',
          );
        params[button.input.key] = value;
      }
      this.add(log, {
        from: 'person',
        sender: who,
        body: { msgtype: 'click', cardId, action, label: button.label, ...(button.input ? { input: params } : {}) },
      });
      const click = await this.ding.clickCardButton({ outTrackId: cardId, userId: who.userId, actionId: action, params });
      // The card changes with the ACK (within DingTalk's 2 s); a late or missing ACK leaves it as it was, as in DingTalk.
      await click.ack.catch(() => undefined);
      return;
    }
    const card = this.wx.cards().get(cardId);
    const button =
      card && !card.replacedName ? (Array.isArray(card.current.button_list) ? card.current.button_list : []).map(obj).find((b) => b.key === action) : undefined;
    if (!card || !button) throw new SimRefusal(gone, 'action');
    this.add(log, { from: 'person', sender: who, body: { msgtype: 'click', cardId, action, label: str(button.text) ?? action } });
    if (card.via === 'bot') await this.wx.botCardClick({ chatId: card.chatId, userId: who.userId, taskId: cardId, eventKey: action });
    else await this.wx.appCardClick({ agentId: card.agentId ?? this.wecomAgentId, userId: who.userId, taskId: cardId, eventKey: action });
  }

  /** The buttons this person sees: their private `buttons` when the card keeps some for them, else the card's. */
  private dingButtons(params: Record<string, string>, mine?: Record<string, string>): DingButton[] {
    const raw = mine?.buttons ?? params.buttons;
    try {
      const list = JSON.parse(raw ?? '[]') as unknown;
      return Array.isArray(list) ? (list.map(obj).filter((b) => typeof b.id === 'string') as unknown as DingButton[]) : [];
    } catch {
      return [];
    }
  }

  // ---- hearing the fakes -----------------------------------------------------------------------------------------

  private fromDing(e: DingEvent): void {
    if (e.kind === 'card') return this.cardChanged('dingtalk', e.outTrackId);
    const log = this.logs.get(`dingtalk:${e.kind === 'group' ? 'group' : 'direct'}:${e.id}`);
    if (!log) return;
    const body = e.message as Record<string, unknown>;
    const cardId = body.via === 'card' ? str(body.outTrackId) : undefined;
    const slot = this.add(log, { from: 'bot', body, cardId });
    log.bySlot.set(e.index, slot.seq);
    // The fake tells of a card when it changes, not when it lands: a card never updated (the leader's 审定 card before he
    // decides) would show as an empty message until the page is reloaded.
    if (cardId) this.cardChanged('dingtalk', cardId);
  }

  private fromWeCom(e: WeComEvent): void {
    if (e.kind === 'card') return this.cardChanged('wecom', e.taskId);
    if (e.kind === 'webhook') return;
    const log = this.logs.get(`wecom:${e.kind === 'group' ? 'group' : 'direct'}:${e.id}`);
    if (!log) return;
    const body = e.message as Record<string, unknown>;
    // The AI bot's answer to a click that updated its card: the card shows it (a 'card' event), not a new message.
    if (body.via === 'bot-update') return;
    const taskId = str(obj(body.template_card).task_id);
    const cardId = taskId && this.wx.cards().has(taskId) ? taskId : undefined;
    const earlier = e.replaced ? log.bySlot.get(e.index) : undefined;
    if (earlier !== undefined) {
      const i = log.messages.findIndex((m) => m.seq === earlier);
      if (i >= 0) {
        const refreshed: SimMessage = { ...log.messages[i], body, at: this.now() };
        log.messages[i] = refreshed;
        this.emit({ type: 'message', message: refreshed });
        return;
      }
    }
    const slot = this.add(log, { from: 'bot', body, cardId });
    log.bySlot.set(e.index, slot.seq);
  }

  private cardChanged(platform: SimPlatform, id: string): void {
    const card = this.card(platform, id);
    if (card) this.emit({ type: 'card', card });
  }

  private card(platform: SimPlatform, id: string): SimCard | undefined {
    if (platform === 'dingtalk') {
      const c = this.ding.cards().get(id);
      if (!c) return undefined;
      const privateParams = Object.fromEntries(Object.entries(c.privateData ?? {}).map(([user, d]) => [user, { ...d.cardParamMap }]));
      return { id, platform, params: { ...c.cardParamMap }, privateParams, updates: c.updates };
    }
    const c = this.wx.cards().get(id);
    if (!c) return undefined;
    return { id, platform, templateCard: c.current, ...(c.replacedName !== undefined ? { replacedName: c.replacedName } : {}), updates: c.updates.length };
  }

  private add(log: ChatLog, m: Omit<SimMessage, 'chatId' | 'seq' | 'at'>): SimMessage {
    const message: SimMessage = { chatId: log.chat.id, seq: ++log.seq, at: this.now(), ...m };
    if (!message.cardId) delete message.cardId;
    log.messages.push(message);
    if (log.messages.length > KEEP_PER_CHAT) log.messages.splice(0, log.messages.length - KEEP_PER_CHAT);
    this.emit({ type: 'message', message });
    return message;
  }

  private now(): string {
    return toShanghaiIso(this.clock.now())!;
  }

  private emit(e: SimEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a listener that fails (a closed stream) must not stop the others */
      }
    }
  }
}
