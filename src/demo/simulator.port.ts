/**
 * Issue 16: the demo's chat simulator, as the service sees it. `npm run demo` runs a fake DingTalk and a fake WeCom
 * beside the service; the console shows their chats as a phone would and lets a visitor act in them as any demo
 * person. The service never imports the fakes (src/ must not): scripts/demo implements this port over them, and
 * AppModule.register is given it only in demo mode — without it the simulator's endpoints do not exist.
 *
 * Every action goes through the fake's real path to the service (a Stream frame, the AI bot's long connection, an
 * encrypted callback), never a shortcut: the service cannot tell a simulated person from a real one.
 */

export type SimPlatform = 'dingtalk' | 'wecom';

/** Someone in a chat, by the account they have on that chat's platform. */
export interface SimPerson {
  /** DingTalk userId or WeCom userid. */
  userId: string;
  name: string;
}

export interface SimChat {
  /** Stable and readable: `dingtalk:group:<cid>`, `wecom:direct:<userid>`. */
  id: string;
  platform: SimPlatform;
  /** A group, or one person's one-to-one chat with the bot (督办助手). */
  kind: 'group' | 'direct';
  /** The group's name, or the person's name. */
  title: string;
  /** Who may type and click here: a group's people on that platform; the one person of a direct chat. */
  members: SimPerson[];
}

/** One entry of a chat, in order. A streamed reply that is refreshed keeps its seq (the page replaces it). */
export interface SimMessage {
  chatId: string;
  /** 1, 2, 3 … within the chat. */
  seq: number;
  /** When it happened on the service's clock (the demo clock), ISO 8601. */
  at: string;
  /** 'bot': what the service sent and the fake recorded; 'person': what a simulated person typed or clicked. */
  from: 'bot' | 'person';
  sender?: SimPerson;
  /**
   * The record as it is: for the bot, as the fake kept it (DingTalk `{via:'robot', msgKey, msgParam}`, `{via:'card',
   * outTrackId}`, `{via:'session', msgtype, …}`; WeCom `{via, msgtype, markdown | template_card | stream | text}`); for a
   * person, `{msgtype:'text', text:{content}}` or `{msgtype:'click', cardId, action, label, input?}`.
   */
  body: Record<string, unknown>;
  /** The interactive card this message shows (its current state is the SimCard of that id). */
  cardId?: string;
}

/** An interactive card as members see it now. */
export interface SimCard {
  /** DingTalk outTrackId or WeCom task_id. */
  id: string;
  platform: SimPlatform;
  /** DingTalk: the template variables (public cardParamMap), including `buttons` as a JSON string. */
  params?: Record<string, string>;
  /** DingTalk: each user's private data (after a click: the `notice` line). */
  privateParams?: Record<string, Record<string, string>>;
  /** WeCom: the template_card as members see it now. */
  templateCard?: Record<string, unknown>;
  /** WeCom: the buttons were turned into this grey text (nothing left to press). */
  replacedName?: string;
  /** How many times it changed since it was sent. */
  updates: number;
}

export type SimEvent =
  | { type: 'message'; message: SimMessage }
  | { type: 'card'; card: SimCard }
  /** The simulator stopped (the demo is shutting down): no more events. */
  | { type: 'closed' };

export type SimAction =
  /** Type in a chat as `userId`; in a group the @-mention of the bot is added. */
  | { type: 'text'; chatId: string; userId: string; text: string }
  /** Press a card's button as `userId`; `input` fills the button's input box (DingTalk cards), keyed by its param name. */
  | { type: 'click'; chatId: string; userId: string; cardId: string; action: string; input?: Record<string, string> };

/** A refusal the visitor reads (Chinese, with what to do instead). */
export class SimRefusal extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SimRefusal';
  }
}

export interface SimulatorPort {
  chats(): SimChat[];
  /** The chat's entries so far (undefined: no such chat). */
  messages(chatId: string): SimMessage[] | undefined;
  /** The cards shown in this chat, as members see them now. */
  cards(chatId: string): SimCard[];
  /** Every new message and card change from now on; returns the way to stop listening. */
  subscribe(listener: (e: SimEvent) => void): () => void;
  /** Throws SimRefusal when the action cannot be done (no such chat, not a member, no such button…). */
  act(action: SimAction): Promise<void>;
}

/** Nest's injection token for the port. */
export const SIMULATOR = Symbol('SIMULATOR');
