import type { AckRecord, CardRecord, PushRecord } from './types';
import { Recorder } from '../shared/http';
import { Watchers } from '../shared/watchers';

/**
 * What a watcher hears as it happens (the demo's chat simulator shows it live): a message landing in a group or a
 * one-to-one chat (`index` = its place in that chat's list), or an interactive card's data changing (an update PUT or a
 * click's ACK).
 */
export type WorldEvent = { kind: 'group' | 'user'; id: string; index: number; message: object } | { kind: 'card'; outTrackId: string };

/** A sessionWebhook handed out with a robot message: where a reply to it lands, and until when it works. */
export interface Session {
  conversationId: string;
  conversationType: '1' | '2';
  userId: string;
  expiresAt: number;
}

/**
 * Everything the fake has seen and everything that "landed" in DingTalk, for tests to look at.
 * Messages are kept as the caller sent them plus a few fields the fake adds (`via`, `at`).
 */
export class World extends Recorder {
  readonly acks: AckRecord[] = [];
  readonly pushes: PushRecord[] = [];
  readonly cards = new Map<string, CardRecord>();
  readonly sessions = new Map<string, Session>();
  /** Nicknames seen for user ids (from sendGroupText), served by the user lookup. */
  readonly nicks = new Map<string, string>();
  /** Issue 15: who holds the phone the console is opened on (FakeDingTalk.putOnPhone); null = nobody signed in to DingTalk. */
  phone: string | null = null;
  /** Space ids ("cid…" or a user id) where delivery fails, as when the robot is not in the group. */
  readonly undeliverable = new Set<string>();
  /** User ids that batchSend reports in flowControlledStaffIdList, n more times each. */
  readonly flowControlled = new Map<string, number>();
  private readonly groups = new Map<string, object[]>();
  private readonly directs = new Map<string, object[]>();
  private readonly watchers = new Watchers<WorldEvent>((error) => this.note({ kind: 'watcher-error', error }));

  toGroup(conversationId: string, message: object): void {
    const list = this.groups.get(conversationId) ?? [];
    list.push(message);
    this.groups.set(conversationId, list);
    this.emit({ kind: 'group', id: conversationId, index: list.length - 1, message });
  }

  toUser(userId: string, message: object): void {
    const list = this.directs.get(userId) ?? [];
    list.push(message);
    this.directs.set(userId, list);
    this.emit({ kind: 'user', id: userId, index: list.length - 1, message });
  }

  /** Called after a card's data changed (cards.ts applyCardChange). */
  cardChanged(outTrackId: string): void {
    this.emit({ kind: 'card', outTrackId });
  }

  /** Hear every landing and card change from now on; returns the way to stop. */
  watch(listener: (e: WorldEvent) => void): () => void {
    return this.watchers.add(listener);
  }

  private emit(e: WorldEvent): void {
    this.watchers.tell(e);
  }

  groupMessages(conversationId: string): object[] {
    return [...(this.groups.get(conversationId) ?? [])];
  }

  directMessages(userId: string): object[] {
    return [...(this.directs.get(userId) ?? [])];
  }
}
