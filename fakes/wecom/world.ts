import type { PhoneUser } from './oauth-routes';
import type { CallbackAttempt, CardRecord } from './types';
import { Recorder } from '../shared/http';

/**
 * Everything the fake has seen and everything that "landed" in WeCom, for tests to look at. Messages are kept as the
 * caller sent them plus a few fields the fake adds (`via`, `at`, ids).
 */
export class World extends Recorder {
  readonly callbacks: CallbackAttempt[] = [];
  readonly cards = new Map<string, CardRecord>();
  /** Deliveries that did not happen though the API said ok: per-member limits, duplicate checks, no listener. */
  readonly dropped: object[] = [];
  /** Group chat ids the fake knows as groups (bot groups people typed in, appchat groups). */
  readonly knownGroups = new Set<string>();
  /** Userids that have talked to the AI bot. */
  readonly knownUsers = new Set<string>();
  /** Issue 15: who holds the phone WeCom's authorize page is opened on (FakeWeCom.putOnPhone); null = not inside WeCom. */
  phone: PhoneUser | null = null;
  /** Temporary media the AI bot uploaded over its long connection (aibot_upload_media_*), by media_id. */
  readonly media = new Map<string, { type: string; filename: string; data: Buffer }>();
  private readonly groups = new Map<string, object[]>();
  private readonly users = new Map<string, object[]>();
  private readonly webhooks = new Map<string, object[]>();

  drop(entry: object): void {
    this.dropped.push(entry);
    this.log?.({ kind: 'dropped', ...entry });
  }

  toGroup(chatId: string, message: object): void {
    push(this.groups, chatId, message);
  }

  toUser(userId: string, message: object): void {
    push(this.users, userId, message);
  }

  toWebhook(key: string, message: object): void {
    push(this.webhooks, key, message);
  }

  /** Replace a streamed reply in place (a stream refresh updates one message), else append. */
  upsertStream(target: 'group' | 'user', id: string, streamId: string, message: object): void {
    const list = (target === 'group' ? this.groups : this.users).get(id) ?? [];
    const i = list.findIndex((m) => (m as { stream?: { id?: unknown } }).stream?.id === streamId);
    if (i >= 0) list[i] = message;
    else push(target === 'group' ? this.groups : this.users, id, message);
  }

  groupMessages(chatId: string): object[] {
    return [...(this.groups.get(chatId) ?? [])];
  }

  userMessages(userId: string): object[] {
    return [...(this.users.get(userId) ?? [])];
  }

  webhookMessages(key: string): object[] {
    return [...(this.webhooks.get(key) ?? [])];
  }
}

function push(map: Map<string, object[]>, key: string, message: object): void {
  const list = map.get(key) ?? [];
  list.push(message);
  map.set(key, list);
}
