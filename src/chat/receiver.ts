import type { Platform } from '../shared/vocabulary';
import type { BotEvent, BotResult } from './bot-event';

/**
 * The inbound half of a chat platform: its receivers. Every receiver, whatever its transport (DingTalk Stream, DingTalk
 * HTTP callbacks, the WeCom 智能机器人 long connection, WeCom HTTP callbacks), does the same three steps for each delivery:
 *
 *   verify  — signature, freshness, one use per signature, the corp and robot it is addressed to (refused: changes nothing);
 *   event   — the platform's payload becomes a BotEvent (garbage is acknowledged and ignored: it can never succeed);
 *   route   — InboundRoute.handle (the inbox, the command, the reply), then the acknowledgement.
 *
 * and answers the platform through ONE acknowledgement per delivery (an Acknowledgement: once only, with a deadline). A
 * delivery the router could not take (the database is away, a failure below its third attempt) is declined — not
 * acknowledged — so the platform delivers it again; that is the at-least-once half of principle 4.
 *
 * A platform's receivers are the inbound half of its ChatPlatform (chat-platform.ts), beside its sender.
 */
export interface ChatReceiver {
  readonly platform: Platform;
  /** How the deliveries arrive: a connection we hold open, or HTTP callbacks the platform posts to us. */
  readonly transport: 'stream' | 'long-connection' | 'http';
  /** Connection receivers open and close their connection; HTTP receivers are mounted as controllers and need neither. */
  start?(): void;
  stop?(): void;
}

/**
 * Where a receiver hands its event (provided by the chat module as the BotRouter): receivers depend on this neutral
 * contract, not on the router's implementation.
 */
export abstract class InboundRoute {
  abstract handle(event: BotEvent): Promise<BotResult>;
}

/**
 * How long each platform waits for its acknowledgement before it counts the delivery as failed and delivers it again
 * (PLATFORMS.md). Transport deadlines are wall-clock time, not the business Clock (the demo clock must not stretch them).
 */
export const ACK_DEADLINES_MS = {
  /** DingTalk card click (Stream frame or HTTP callback): the card's new state is answered within 2 s. */
  dingtalkCard: 2_000,
  /** DingTalk robot message over Stream: an unACKed push comes again after about 60 s. */
  dingtalkStreamRobot: 60_000,
  /** DingTalk robot message over HTTP: PLATFORMS.md gives no figure (unverified), so WeCom's 5 s serves as the budget. */
  dingtalkHttpRobot: 5_000,
  /** WeCom app and 智能机器人 callbacks: no answer in 5 s is a failure (three tries in all). */
  wecomCallback: 5_000,
  /** WeCom URL verification (GET with echostr): the plaintext within 1 s. */
  wecomUrlVerification: 1_000,
  /** WeCom 智能机器人 long connection: a card event is answered (update_template_card) within 5 s of its req_id. */
  wecomLongConnection: 5_000,
} as const;

/** A second acknowledgement of one delivery: a bug in the receiver (the platform takes only the first). */
export class MultipleAckError extends Error {
  constructor(readonly label: string) {
    super(`${label}: acknowledged or declined already; a delivery is answered once`);
    this.name = 'MultipleAckError';
  }
}

export interface AckLog {
  warn(message: string): void;
}

export interface AcknowledgementOptions<R> {
  /** Names the delivery in logs (e.g. "dingtalk-card:<messageId>"). */
  label: string;
  deadlineMs: number;
  /**
   * Writes the acknowledgement to the platform (a Stream ACK frame, a reply on the long connection; for HTTP through Nest
   * the handler's return value is the write and this does nothing). A promise it returns is what ackAndWait waits for.
   */
  send: (response: R) => void | Promise<void>;
  log: AckLog;
  /** Called once when the deadline passes with the delivery neither acknowledged nor declined (after the warning). */
  onDeadline?: (label: string) => void;
  /** Milliseconds, for measuring how late an acknowledgement was; real time by default. */
  now?: () => number;
}

/**
 * One delivery's acknowledgement, after bolt-js's HTTPResponseAck: `ack(response)` answers the platform and can be called
 * once; `decline(reason)` settles it without answering (the platform delivers again); a timer warns when the deadline
 * passes unsettled. A second ack or decline throws MultipleAckError and sends nothing. An ack after the deadline is still
 * sent (the platform may take it or deliver again; the inbox makes a repeat do nothing) and is logged as late.
 */
export class Acknowledgement<R> {
  private settled: 'acked' | 'declined' | null = null;
  private overdue = false;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | null;
  private sending: Promise<void> | undefined;

  constructor(private readonly opts: AcknowledgementOptions<R>) {
    this.startedAt = this.now();
    this.timer = setTimeout(() => this.expire(), opts.deadlineMs);
    this.timer.unref?.(); // a pending deadline never holds the process open
  }

  get state(): 'pending' | 'acked' | 'declined' {
    return this.settled ?? 'pending';
  }

  /** True once the deadline passed before the delivery was settled. */
  get late(): boolean {
    return this.overdue;
  }

  /** Answers the platform with `response` (once); returns it, so an HTTP handler can `return ack.ack(body)`. */
  ack(response: R): R {
    this.settle('acked');
    if (this.overdue) {
      this.opts.log.warn(
        JSON.stringify({ event: 'chat_ack_late', delivery: this.opts.label, deadlineMs: this.opts.deadlineMs, elapsedMs: this.now() - this.startedAt }),
      );
    }
    this.sending = this.opts.send(response) ?? undefined;
    return response;
  }

  /** ack, then wait until the platform has been written to (a send that fails rejects; the delivery stays acknowledged). */
  async ackAndWait(response: R): Promise<void> {
    this.ack(response);
    await this.sending;
  }

  /** Settles without answering: the platform delivers again (a refusal, or a failure that will pass). */
  decline(): void {
    this.settle('declined');
  }

  private settle(to: 'acked' | 'declined'): void {
    if (this.settled) {
      this.opts.log.warn(JSON.stringify({ event: 'chat_ack_repeated', delivery: this.opts.label, was: this.settled, attempted: to }));
      throw new MultipleAckError(this.opts.label);
    }
    this.settled = to;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private expire(): void {
    this.timer = null;
    if (this.settled) return;
    this.overdue = true;
    this.opts.log.warn(JSON.stringify({ event: 'chat_ack_deadline_passed', delivery: this.opts.label, deadlineMs: this.opts.deadlineMs }));
    this.opts.onDeadline?.(this.opts.label);
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : performance.now();
  }
}

/**
 * The receiver's route step with its acknowledgement: `work` runs; if it throws, the delivery is declined (unless the work
 * settled it itself) and the error is thrown on, for the transport to answer its way (an HTTP status, or no Stream ACK).
 */
export async function settling<R, T>(ack: Acknowledgement<R>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (ack.state === 'pending') ack.decline();
    throw e;
  }
}
