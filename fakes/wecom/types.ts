export type { FakeRequest, FakeResponse, RecordedCall, Route } from '../shared/http';
/**
 * Shapes shared by the fake WeCom's parts. Wire shapes follow ../../../shared/design/PLATFORMS.md (WeCom); everything
 * here is the fake's own bookkeeping, not something WeCom exposes.
 */

export type Clock = () => number;

export interface AgentConfig {
  agentId: number;
  secret: string;
  token: string;
  encodingAESKey: string;
  /** Where the fake POSTs the app's encrypted XML callbacks. */
  callbackUrl?: string;
}

export interface AiBotConfig {
  botId: string;
  secret: string;
  /** API mode (receiveid ""). */
  token: string;
  encodingAESKey: string;
  callbackUrl?: string;
}

export interface FakeWeComOptions {
  /** 0 or absent = a random free port. */
  port?: number;
  corpId: string;
  agents: AgentConfig[];
  aibot?: AiBotConfig;
  webhooks?: { key: string }[];
  /** Corp members (userids). When given, message/send reports others in `invaliduser`; absent = everyone is valid. */
  members?: string[];
  tokenTtlSeconds?: number;
  responseCodeTtlMs?: number;
  callbackRetryDelayMs?: number;
  callbackTimeoutMs?: number;
  memberPerMinute?: number;
  memberPerHour?: number;
  webhookPerMinute?: number;
  /** How long after a template_card_event the AI bot may still update the card (the SDK says 5 s). */
  botUpdateWindowMs?: number;
  /** response_url of an API-mode bot message: one use within this life (1 h). */
  responseUrlTtlMs?: number;
  now?: Clock;
  /** Called with every recorded call, frame and callback; main.ts prints them. */
  log?: (entry: object) => void;
}

export type ResolvedOptions = Required<Omit<FakeWeComOptions, 'port' | 'log' | 'aibot' | 'members'>> & Pick<FakeWeComOptions, 'log' | 'aibot' | 'members'>;

/** A callback the fake POSTed (or GET for URL verification) to an app's or the bot's URL, one per attempt. */
export interface CallbackAttempt {
  kind: 'app' | 'bot';
  url: string;
  method: 'GET' | 'POST';
  attempt: number;
  /** The plaintext that was encrypted (XML for apps, JSON for the bot). */
  plaintext: string;
  /** HTTP status, or 0 when no answer came within callbackTimeoutMs (or the connection failed). */
  status: number;
  responseBody: string;
  at: number;
}

export interface CardUpdate {
  at: number;
  via: 'update_template_card' | 'passive-reply' | 'aibot_respond_update_msg';
  userids?: string[];
  replaceName?: string;
  templateCard?: Record<string, unknown>;
}

export interface CardRecord {
  taskId: string;
  via: 'app' | 'bot';
  agentId?: number;
  /** App cards: the `touser` string as sent. Bot cards: the group chatid, or the userid of a one-to-one chat. */
  touser: string;
  /** Bot cards in a group. */
  chatId?: string;
  /** The template_card as first sent. */
  card: Record<string, unknown>;
  /** The card as a member sees it now: full replacements applied; after `button.replace_name` it has no buttons. */
  current: Record<string, unknown>;
  /** Set once a `replace_name` update turned the buttons into grey text: nothing left to click. */
  replacedName?: string;
  updates: CardUpdate[];
  /** Every response_code handed out for this card (message/send answer, then one per click). */
  responseCodes: string[];
}
