import type { PhoneUser } from './oauth-routes';
import type { CallbackAttempt, CardRecord } from './types';
import { Recorder } from '../shared/http';
import { Watchers } from '../shared/watchers';

/**
 * What a watcher hears as it happens (the demo's chat simulator shows it live): a message landing in a group, a
 * one-to-one chat or a webhook robot's group (`index` = its place in that list; `replaced` when a streamed reply
 * refreshed the message at that place), or a template card changing (update_template_card, a passive reply, the AI
 * bot's update in its answer to a click).
 */
export type WorldEvent =
  { kind: 'group' | 'user' | 'webhook'; id: string; index: number; replaced: boolean; message: object } | { kind: 'card'; taskId: string };

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
  private readonly watchers = new Watchers<WorldEvent>((error) => this.note({ kind: 'watcher-error', error }));

  drop(entry: object): void {
    this.dropped.push(entry);
    this.log?.({ kind: 'dropped', ...entry });
  }

  toGroup(chatId: string, message: object): void {
    this.emit({ kind: 'group', id: chatId, index: push(this.groups, chatId, message), replaced: false, message });
  }

  toUser(userId: string, message: object): void {
    this.emit({ kind: 'user', id: userId, index: push(this.users, userId, message), replaced: false, message });
  }

  toWebhook(key: string, message: object): void {
    this.emit({ kind: 'webhook', id: key, index: push(this.webhooks, key, message), replaced: false, message });
  }

  /** Replace a streamed reply in place (a stream refresh updates one message), else append. */
  upsertStream(target: 'group' | 'user', id: string, streamId: string, message: object): void {
    const list = (target === 'group' ? this.groups : this.users).get(id) ?? [];
    const i = list.findIndex((m) => (m as { stream?: { id?: unknown } }).stream?.id === streamId);
    if (i >= 0) {
      list[i] = message;
      this.emit({ kind: target, id, index: i, replaced: true, message });
    } else if (target === 'group') this.toGroup(id, message);
    else this.toUser(id, message);
  }

  /** Called after a template card changed (cards.ts applyUpdate). */
  cardChanged(taskId: string): void {
    this.emit({ kind: 'card', taskId });
  }

  /** Hear every landing and card change from now on; returns the way to stop. */
  watch(listener: (e: WorldEvent) => void): () => void {
    return this.watchers.add(listener);
  }

  private emit(e: WorldEvent): void {
    this.watchers.tell(e);
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

/** Appends and returns the message's place in its list. */
function push(map: Map<string, object[]>, key: string, message: object): number {
  const list = map.get(key) ?? [];
  list.push(message);
  map.set(key, list);
  return list.length - 1;
}
