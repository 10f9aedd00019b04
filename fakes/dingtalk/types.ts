export type { FakeRequest, FakeResponse, RecordedCall, Route } from '../shared/http';
/**
 * Shapes shared by the fake DingTalk's parts. The wire shapes follow ../../../shared/design/PLATFORMS.md (DingTalk);
 * everything here is the fake's own bookkeeping, not something DingTalk exposes.
 */

export type Clock = () => number;

export interface CustomRobotConfig {
  accessToken: string;
  secret: string;
  /** Group the webhook robot sits in, so its posts show up in groupMessages(); default `webhook:<accessToken>`. */
  conversationId?: string;
  /** Security setting "custom keywords": a message must contain one of them, else 310000. */
  keywords?: string[];
}

export interface FakeDingTalkOptions {
  /** 0 or absent = a random free port. */
  port?: number;
  /** The app's AppKey / AppSecret. */
  clientId: string;
  clientSecret: string;
  /** An internal app's robot code is its AppKey, so that is the default. */
  robotCode?: string;
  corpId?: string;
  tokenTtlSeconds?: number;
  redeliverAfterMs?: number;
  duplicateRate?: number;
  qpsLimitPerApi?: number;
  customRobots?: CustomRobotConfig[];
  now?: Clock;
  /** Randomness for duplicates and connection choice (0..1); inject for deterministic tests. */
  random?: () => number;
  /** Delay between a SYSTEM disconnect frame and the close (DingTalk: about 10 s). */
  disconnectCloseAfterMs?: number;
  /** How long a card click waits for its ACK before DingTalk gives up on it (the documented 2 s). */
  cardCallbackTimeoutMs?: number;
  /** Send a SYSTEM ping to every connection this often; 0 (default) = only when ping() is called. */
  pingIntervalMs?: number;
  /** Card templates that exist; when given, any other cardTemplateId gets 400 param.templateNotExist. */
  cardTemplateIds?: string[];
  /** Called with every recorded call and stream event; main.ts prints them. */
  log?: (entry: object) => void;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<FakeDingTalkOptions, 'port' | 'log' | 'cardTemplateIds'>> & Pick<FakeDingTalkOptions, 'log' | 'cardTemplateIds'>;

export interface CardRecord {
  outTrackId: string;
  cardTemplateId: string;
  openSpaceId: string;
  callbackType: string;
  cardParamMap: Record<string, string>;
  privateData?: Record<string, { cardParamMap: Record<string, string> }>;
  /** Changes after creation: update PUTs and card-callback ACK responses. */
  updates: number;
}

export interface AckRecord {
  messageId: string;
  /** The ACK's `data`, parsed from its JSON string. */
  body: unknown;
  at: number;
}

/** One frame written to a socket, kept so tests can count pushes of one messageId. */
export interface PushRecord {
  messageId: string;
  type: 'EVENT' | 'CALLBACK';
  topic: string;
  connectionId: string;
  attempt: number;
  duplicate: boolean;
  at: number;
}
