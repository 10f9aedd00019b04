/**
 * npm run bench:outbox — how close the outbox relay runs to each platform limit the local fakes enforce, sustained,
 * as a fraction of that limit, and how many throttle errors it meets (expected: none).
 *
 * The service runs in-process on a fresh MariaDB database with both platforms pointed at the fakes, and ONE clock
 * (a DemoClock) is shared by the service and both fakes, so minute-scale limits can be run sped up:
 *   phase 1 — the DingTalk API limit (≈20 calls/s per API per app) at speed 1 (second-scale: cannot be sped up):
 *             app-robot group messages (groupMessages/send) and one-to-one messages (oToMessages/batchSend);
 *   phase 2 — the minute-scale limits at speed SPEED (default 10): DingTalk custom-robot webhooks (20/min each),
 *             WeCom group webhook robots (20/min each), WeCom app messages per member (30/min each).
 *             Speeding the clock up multiplies what the relay must do per real second by the same factor (every
 *             waiting row is claimed, composed and checked again when its bucket's next slot frees): at ×30 the one
 *             in-process relay, sharing the CPU with both fakes, runs flat out and the figure measures the machine
 *             rather than the pacing (the `slot lag` column grows, see below).
 * Each phase enqueues, up front and in one transaction, a backlog larger than the targets can take in the phase
 * (outbox rows, then all made due at once), so no target ever runs out of messages to send.
 *
 * Measured at the fakes, by arrival time on the shared clock, only what they ACCEPTED (throttle answers and WeCom's
 * silent member-limit drops are counted apart). Every sliding window lets an initial burst of N through, which would
 * flatter the figure, so the first window is left out: the sustained figure is the MEAN number of accepted sends in a
 * window (t, t+W] over all window positions with t0+W ≤ t ≤ t_end−W (windows wholly inside [t0+W, t_end]) — the
 * platform's own way of counting, and unlike "sends in an interval / its length" it does not jump by a whole burst
 * with where the interval happens to end. fraction = that mean / N. The relay's sliding log counts each send from its
 * answer and keeps a margin for clocks (rate-limit.rules.ts: max(10 ms, 0.5 % of the window)), so the best it can
 * do is W / (W + margin + the platform's answer time): the `ceiling` column leaves the answer time out. `peak` is the most accepted sends in any window of the phase (must stay ≤ N); `slot lag` is how long, on
 * average (simulated ms), a slot stood free before the relay used it (send k arrived this long after send k−N's time
 * plus the relay's span) — what separates `fraction` from `ceiling`.
 *
 *   phase 3 — issue 17, "notices that cannot drain": ONE chat flooded with notices (clue_notice, a kind that coalesces)
 *             far above its limit — FLOOD_RATE a second (1,000) for FLOOD_SECONDS (10) — written as they come, in
 *             batches on the clock; first a DingTalk app-robot group (20/s through the API) at speed 1, then a WeCom
 *             group webhook robot (20/min) at FLOOD_SPEED (10). It waits until every notice is sent (at most
 *             FLOOD_MAX_S simulated seconds) and prints, per chat, a line `flood target=… backlog_notices=…
 *             drained_s=… messages=…`: drained_s from the first notice written to the last one sent (simulated s),
 *             messages what the fake accepted for that chat, notices_in_messages the notices those messages say they
 *             carry (listed or counted: must equal the backlog — nothing lost, nothing twice), listed how many of
 *             them the messages show one by one (the rest only counted), and how late the
 *             notices were (p50/max, written → sent). FLOOD=0 skips it; FLOOD_ONLY=1 runs only it.
 *
 * The last line is `fraction=<lowest over all targets> throttled=<total throttle errors>`.
 * Knobs: SPEED (10), SIM_MINUTES (10), API_SECONDS (20), HOOKS (3 per platform), MEMBERS (3), POLL_MS (20),
 * FLOOD (1), FLOOD_ONLY (0), FLOOD_RATE (1000), FLOOD_SECONDS (10), FLOOD_SPEED (10), FLOOD_MAX_S (600).
 */
import 'reflect-metadata';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { DataSource, Like } from 'typeorm';
import { FakeDingTalk } from '../fakes/dingtalk';
import { FakeWeCom } from '../fakes/wecom';
import { benchDatabase, printServerSettings } from './support';
import { AppModule } from '../src/app.module';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { OutboxWriter, type OutgoingMessage } from '../src/outbox/outbox.writer';
import { marginFor } from '../src/outbox/rate-limit.rules';
import { RateLimiter } from '../src/outbox/rate-limiter';
import { DemoClock } from '../src/shared/clock';
import { loadConfig } from '../src/config/app.config';
import { inTransaction } from '../src/database/transaction';
import { OrgService } from '../src/org/org.service';

const SPEED = Number(process.env.SPEED ?? 10);
const SIM_MINUTES = Number(process.env.SIM_MINUTES ?? 10);
const API_SECONDS = Number(process.env.API_SECONDS ?? 20);
const HOOKS = Number(process.env.HOOKS ?? 3);
const MEMBERS = Number(process.env.MEMBERS ?? 3);
const POLL_MS = Number(process.env.POLL_MS ?? 20);
/** Groups and people the two DingTalk API buckets are shared by (the limit is per API, not per target). */
const API_SPREAD = 4;
/** Backlog = this × (what the target can take in the phase, burst included): always more than it can take. */
const BACKLOG_FACTOR = 1.15;
const PROGRESS_MS = 5_000;
const FLOOD = process.env.FLOOD !== '0';
const FLOOD_ONLY = process.env.FLOOD_ONLY === '1';
const FLOOD_RATE = Number(process.env.FLOOD_RATE ?? 1000);
const FLOOD_SECONDS = Number(process.env.FLOOD_SECONDS ?? 10);
const FLOOD_SPEED = Number(process.env.FLOOD_SPEED ?? 10);
const FLOOD_MAX_S = Number(process.env.FLOOD_MAX_S ?? 600);
const FLOOD_HOOK = 'wxbench-flood';

const log = (s: string) => console.log(`[bench:outbox] ${s}`);

const DING = { clientId: 'dingbench', clientSecret: 'dingbench-secret-0123456789', robotCode: 'dingbench' };
const CORP = 'wwbench00000001';
const AGENT = { agentId: 1000002, secret: 'wecom-bench-secret-0123', token: 'BenchToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const DING_WEBHOOK_THROTTLE = new Set([410100, 130101, 660026]);

/** One limit a target is held to, and how to read at the fakes what it accepted and how often it was throttled. */
interface Target {
  platform: 'dingtalk' | 'wecom';
  name: string;
  limit: number;
  windowMs: number;
  /** Arrival times (shared clock, ms) of the sends the fake accepted. */
  accepted: () => number[];
  /** Throttle answers the fake gave plus sends it accepted and silently dropped for a limit. */
  throttled: () => number;
  /** Outbox rows to queue: target and platform; `backlog` rows in all. */
  rows: { target: OutgoingMessage['target']; platform: 'dingtalk' | 'wecom' }[];
  backlog: number;
}

interface Row {
  platform: string;
  target: string;
  limit: number;
  window: string;
  accepted: string;
  measured: string;
  perWindow: string;
  ceiling: string;
  fraction: string;
  peak: string;
  lag: string;
  throttled: string;
}

/** What the relay logged: retries and dead letters, and how many of them were throttles. */
class CountingLogger implements LoggerService {
  retries = 0;
  dead = 0;
  throttleRetries = 0;
  errors = 0;
  readonly samples: string[] = [];

  log(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    const s = typeof message === 'string' ? message : JSON.stringify(message);
    const retry = s.includes('"outbox_retry"') || s.includes('"outbox_digest_retry"');
    const dead = s.includes('"outbox_dead_letter"');
    if (!retry && !dead) return;
    if (retry) this.retries++;
    if (dead) this.dead++;
    if (/限流|QpsLimit|45009|45033|410100|130101|660026|flow/i.test(s)) this.throttleRetries++;
    if (this.samples.length < 5) this.samples.push(s.slice(0, 300));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.errors++;
    if (this.errors <= 5) console.error('[service error]', message, ...rest);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const clock = new DemoClock();
  const now = () => clock.now().getTime();
  const hookTokens = Array.from({ length: HOOKS }, (_, i) => ({
    accessToken: `dtbenchhook${i + 1}`,
    secret: `SECbench${i + 1}0123456789abcdef`,
    conversationId: `cidHOOK${i + 1}`,
  }));
  const hookKeys = Array.from({ length: HOOKS }, (_, i) => `wxbench-hook-${i + 1}`);
  const ding = await FakeDingTalk.start({ ...DING, customRobots: hookTokens, now });
  const wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], webhooks: [...hookKeys, FLOOD_HOOK].map((key) => ({ key })), now });
  await printServerSettings(); // issue 17: every bench says which server settings its figures were taken with
  const db = await benchDatabase('duban_bench_ob', 8);
  const config = loadConfig({
    DATABASE_URL: db.url,
    DUBAN_ADMIN_TOKEN: 'bench-admin-token-000000',
    DUBAN_DEMO_SEED: 'false',
    DUBAN_REMINDER_TICK_MS: '0',
    DUBAN_OUTBOX_POLL_MS: String(POLL_MS),
    DINGTALK_CLIENT_ID: DING.clientId,
    DINGTALK_CLIENT_SECRET: DING.clientSecret,
    DINGTALK_ROBOT_CODE: DING.robotCode,
    // Callbacks are not part of this bench: no Stream connection needed.
    DINGTALK_MODE: 'http',
    DINGTALK_API_BASE: ding.apiBase,
    DINGTALK_OAPI_BASE: ding.oapiBase,
    WECOM_CORP_ID: CORP,
    WECOM_AGENT_ID: String(AGENT.agentId),
    WECOM_SECRET: AGENT.secret,
    WECOM_TOKEN: AGENT.token,
    WECOM_ENCODING_AES_KEY: AGENT.encodingAESKey,
    WECOM_API_BASE: wx.apiBase,
  });
  const logger = new CountingLogger();
  const nest = await NestFactory.createApplicationContext(AppModule.register(config, clock), { logger });
  const results: { row: Row; fraction: number; throttled: number }[] = [];
  try {
    log(`database ${db.name}; fake DingTalk ${ding.apiBase}; fake WeCom ${wx.apiBase}; relay polls every ${POLL_MS} ms`);
    const ds = nest.get(DataSource);
    const org = nest.get(OrgService);
    const unit = (await org.createUnit({ code: 'BENCH', name: '基准测试单位' })).id;

    // ---- the directory: who and what the messages go to ----
    const apiGroups: number[] = [];
    const apiPeople: number[] = [];
    for (let i = 1; i <= API_SPREAD; i++) {
      apiGroups.push(
        (await org.createGroup({ platform: 'dingtalk', externalId: `cidAPI${i}`, name: `钉钉应用机器人群${i}`, unitId: unit, purpose: 'unit' })).id,
      );
      apiPeople.push((await org.createPerson({ name: `钉钉成员${i}`, identities: [{ platform: 'dingtalk', externalUserId: `dt-api-${i}` }] })).id);
    }
    const dingHooks: number[] = [];
    for (const [i, h] of hookTokens.entries()) {
      const webhookUrl = `${ding.oapiBase}/robot/send?access_token=${h.accessToken}`;
      dingHooks.push(
        (
          await org.createGroup({
            platform: 'dingtalk',
            externalId: h.conversationId,
            name: `钉钉自定义机器人群${i + 1}`,
            unitId: unit,
            purpose: 'broadcast',
            webhookUrl,
            webhookSecret: h.secret,
          })
        ).id,
      );
    }
    const wxHooks: number[] = [];
    for (const [i, key] of hookKeys.entries()) {
      const webhookUrl = `${wx.apiBase}/cgi-bin/webhook/send?key=${key}`;
      wxHooks.push(
        (
          await org.createGroup({
            platform: 'wecom',
            externalId: `wrHOOK${i + 1}`,
            name: `企业微信群机器人群${i + 1}`,
            unitId: unit,
            purpose: 'broadcast',
            webhookUrl,
          })
        ).id,
      );
    }
    const members: { personId: number; userId: string }[] = [];
    for (let i = 1; i <= MEMBERS; i++) {
      const userId = `wx-member-${i}`;
      members.push({
        personId: (await org.createPerson({ name: `企业微信成员${i}`, identities: [{ platform: 'wecom', externalUserId: userId }] })).id,
        userId,
      });
    }

    // ---- what the fakes accepted ----
    const calls = (platform: 'dingtalk' | 'wecom', path: string) => (platform === 'dingtalk' ? ding.received : wx.received).filter((c) => c.path === path);
    const code = (c: { response: unknown }) => (c.response as { code?: string; errcode?: number } | null) ?? {};
    /** More than a target held to `limit` per window can take in `durationMs`: the first burst, then N per window and margin. */
    const capacity = (limit: number, windowMs: number, durationMs: number) =>
      Math.ceil(BACKLOG_FACTOR * (limit + (limit * durationMs) / (windowMs + marginFor(windowMs))));

    const apiTarget = (name: string, path: string, rows: Target['rows']): Target => ({
      platform: 'dingtalk',
      name,
      limit: 20,
      windowMs: 1_000,
      accepted: () =>
        calls('dingtalk', path)
          .filter((c) => c.status === 200)
          .map((c) => c.at),
      throttled: () => calls('dingtalk', path).filter((c) => c.status === 403 && String(code(c).code ?? '').includes('QpsLimit')).length,
      rows,
      backlog: capacity(20, 1_000, API_SECONDS * 1000),
    });
    const phase1: Target[] = [
      apiTarget(
        `API groupMessages/send (${API_SPREAD} groups)`,
        '/v1.0/robot/groupMessages/send',
        apiGroups.map((g) => ({ target: `group:${g}` as const, platform: 'dingtalk' as const })),
      ),
      apiTarget(
        `API oToMessages/batchSend (${API_SPREAD} people)`,
        '/v1.0/robot/oToMessages/batchSend',
        apiPeople.map((p) => ({ target: `person:${p}` as const, platform: 'dingtalk' as const })),
      ),
    ];

    const simMs = SIM_MINUTES * 60_000;
    const phase2: Target[] = [
      ...hookTokens.map((h, i): Target => ({
        platform: 'dingtalk',
        name: `custom robot webhook ${h.conversationId}`,
        limit: 20,
        windowMs: 60_000,
        accepted: () => (ding.groupMessages(h.conversationId) as { via?: string; at: number }[]).filter((m) => m.via === 'webhook').map((m) => m.at),
        throttled: () =>
          calls('dingtalk', '/robot/send').filter((c) => c.query.access_token === h.accessToken && DING_WEBHOOK_THROTTLE.has(Number(code(c).errcode))).length,
        rows: [{ target: `group:${dingHooks[i]}`, platform: 'dingtalk' }],
        backlog: capacity(20, 60_000, simMs),
      })),
      ...hookKeys.map((key, i): Target => ({
        platform: 'wecom',
        name: `group webhook robot ${key}`,
        limit: 20,
        windowMs: 60_000,
        accepted: () => (wx.webhookMessages(key) as { at: number }[]).map((m) => m.at),
        throttled: () => calls('wecom', '/cgi-bin/webhook/send').filter((c) => c.query.key === key && code(c).errcode === 45009).length,
        rows: [{ target: `group:${wxHooks[i]}`, platform: 'wecom' }],
        backlog: capacity(20, 60_000, simMs),
      })),
      ...members.map((m): Target => ({
        platform: 'wecom',
        name: `app message to member ${m.userId}`,
        limit: 30,
        windowMs: 60_000,
        accepted: () => (wx.userMessages(m.userId) as { via?: string; at: number }[]).filter((x) => x.via === 'app').map((x) => x.at),
        throttled: () =>
          (wx.dropped as { reason?: string; userId?: string }[]).filter((d) => d.reason === 'member-limit' && d.userId === m.userId).length +
          calls('wecom', '/cgi-bin/message/send').filter(
            (c) => (c.body as { touser?: string } | undefined)?.touser === m.userId && [45009, 45033].includes(Number(code(c).errcode)),
          ).length,
        rows: [{ target: `person:${m.personId}`, platform: 'wecom' }],
        backlog: capacity(30, 60_000, simMs),
      })),
    ];

    // Observation only: how often the relay asks the limiter, how often it is told to wait, and what that costs.
    const limiter = nest.get(RateLimiter);
    const acquire = limiter.acquire.bind(limiter);
    const asked = { calls: 0, waits: 0, ms: 0 };
    limiter.acquire = async (limits, at) => {
      const t = performance.now();
      const wait = await acquire(limits, at);
      asked.calls++;
      if (wait > 0) asked.waits++;
      asked.ms += performance.now() - t;
      return wait;
    };
    const writer = nest.get(OutboxWriter);
    const outbox = ds.getRepository(OutboxMessage);

    /** Queues every target's backlog (targets interleaved, so ids alternate), not yet due; returns how many rows. */
    const enqueue = async (phase: string, targets: Target[]): Promise<number> => {
      const far = new Date(now() + 365 * 86_400_000);
      const perDest = targets.flatMap((t) =>
        t.rows.map((r, j) => ({ ...r, n: Math.floor(t.backlog / t.rows.length) + (j < t.backlog % t.rows.length ? 1 : 0) })),
      );
      const messages: OutgoingMessage[] = [];
      for (let k = 0; perDest.some((d) => d.n > k); k++) {
        for (const d of perDest) {
          if (k >= d.n) continue;
          // Distinct texts: WeCom's duplicate check would drop a repeat, and that is not what is measured here.
          messages.push({
            kind: 'bot_reply',
            target: d.target,
            platform: d.platform,
            payload: { text: `【基准】${phase} ${d.target} 第${k + 1}条` },
            dedupeKey: `bench:${phase}:${d.target}:${k}`,
            dueAt: far,
          });
        }
      }
      await inTransaction(ds, async (em) => {
        for (let i = 0; i < messages.length; i += 500) await writer.enqueue(em, messages.slice(i, i + 500));
      });
      return messages.length;
    };

    /** Runs one phase: all of its backlog due at t0, the relay left alone for `durationMs` on the shared clock. */
    const runPhase = async (phase: string, speed: number, durationMs: number, targets: Target[]) => {
      const realStart = performance.now();
      Object.assign(asked, { calls: 0, waits: 0, ms: 0 });
      const queued = await enqueue(phase, targets);
      clock.setSpeed(speed);
      const t0 = now();
      await outbox.update({ dedupeKey: Like(`bench:${phase}:%`) }, { dueAt: new Date(t0) });
      const tEnd = t0 + durationMs;
      log(
        `[${phase}] ${queued} outbox rows due at once for ${targets.length} targets; clock ×${speed}, ${(durationMs / 1000).toFixed(0)} s simulated (≈${(durationMs / speed / 1000).toFixed(0)} s real)`,
      );
      let lastProgress = performance.now();
      while (now() < tEnd) {
        await new Promise((r) => setTimeout(r, 50));
        if (performance.now() - lastProgress >= PROGRESS_MS) {
          lastProgress = performance.now();
          const sent = await outbox.countBy({ dedupeKey: Like(`bench:${phase}:%`), status: 'sent' });
          const throttled = targets.reduce((s, t) => s + t.throttled(), 0);
          log(
            `  [${phase}] ${((now() - t0) / 1000).toFixed(0)}/${(durationMs / 1000).toFixed(0)} s simulated: ${sent} sent, ${queued - sent} waiting, ${throttled} throttled, relay retries ${logger.retries}`,
          );
        }
      }
      clock.setSpeed(1);
      // What is left of the backlog is not part of the next phase.
      const left = await outbox.delete({ dedupeKey: Like(`bench:${phase}:%`), status: 'pending' });
      const realSecs = (performance.now() - realStart) / 1000;
      const rows: Row[] = [];
      for (const t of targets) {
        const times = t
          .accepted()
          .filter((x) => x >= t0 && x <= tEnd)
          .sort((a, b) => a - b);
        const w = t.windowMs;
        const a = t0 + w;
        const b = tEnd - w;
        // Mean count in the window (x, x+w] over x in [a, b]: each send s counts for the x in [s−w, s) ∩ [a, b].
        const mean = times.reduce((s, x) => s + Math.max(0, Math.min(x, b) - Math.max(x - w, a)), 0) / (b - a);
        let peak = 0;
        for (let i = 0, j = 0; j < times.length; j++) {
          while (times[j] - times[i] >= w) i++;
          peak = Math.max(peak, j - i + 1);
        }
        const inInterval = times.filter((x) => x >= a).length;
        // How late each slot was used: a send N sends after another could go once that one left the relay's span.
        const span = w + marginFor(w);
        const lags = times.slice(t.limit).map((x, k) => x - times[k] - span);
        const lag = lags.length ? lags.reduce((s, x) => s + x, 0) / lags.length : NaN;
        const fraction = mean / t.limit;
        const throttled = t.throttled();
        const row: Row = {
          platform: t.platform,
          target: t.name,
          limit: t.limit,
          window: w >= 60_000 ? `${w / 60_000} min` : `${w / 1000} s`,
          accepted: `${inInterval}/${times.length}`,
          measured: ((tEnd - a) / 1000).toFixed(1),
          perWindow: mean.toFixed(2),
          ceiling: (w / (w + marginFor(w))).toFixed(3),
          fraction: fraction.toFixed(3),
          peak: String(peak),
          lag: Number.isNaN(lag) ? '-' : lag.toFixed(0),
          throttled: String(throttled),
        };
        rows.push(row);
        results.push({ row, fraction, throttled });
      }
      printTable(rows);
      log(
        `[${phase}] ${realSecs.toFixed(1)} s real; ${left.affected ?? 0} rows of the backlog left unsent (as intended); rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`,
      );
      log(
        `[${phase}] the relay asked the limiter ${asked.calls} times (${(asked.calls / (durationMs / 1000)).toFixed(1)} per simulated s), ${asked.waits} told to wait ` +
          `(${(asked.waits / Math.max(1, asked.calls - asked.waits)).toFixed(1)} per send), ${(asked.ms / Math.max(1, asked.calls)).toFixed(2)} ms real per call`,
      );
    };

    if (!FLOOD_ONLY) {
      await runPhase('p1-dingtalk-api', 1, API_SECONDS * 1000, phase1);
      await runPhase('p2-per-minute', SPEED, simMs, phase2);
    }

    /**
     * Phase 3 (issue 17): one chat flooded with notices far above its limit, written as they come; how long until the
     * last is sent, in how many messages, and whether each message's count adds up to the backlog.
     */
    const flood = async (
      name: string,
      target: `group:${number}`,
      platform: 'dingtalk' | 'wecom',
      speed: number,
      landed: () => { at: number; text: string }[],
      throttled: (since: number) => number,
    ) => {
      const total = Math.round(FLOOD_RATE * FLOOD_SECONDS);
      const key = `bench:p3:${name}:`;
      const writer = nest.get(OutboxWriter);
      clock.setSpeed(speed);
      const t0 = now();
      const realStart = performance.now();
      log(`[p3-flood ${name}] ${total} notices to ${target}, ${FLOOD_RATE} a second for ${FLOOD_SECONDS} s simulated; clock ×${speed}`);
      let written = 0;
      while (written < total) {
        const due = Math.min(total, Math.floor((FLOOD_RATE * (now() - t0)) / 1000));
        if (due > written) {
          const at = clock.now();
          const messages: OutgoingMessage[] = [];
          for (let k = written; k < due; k++)
            messages.push({
              kind: 'clue_notice',
              target,
              platform,
              payload: { text: `【基准】第${k + 1}号：承办单位报送了本周办理进展，已完成阶段性任务，正在推进下一步工作，请及时查阅。` },
              dedupeKey: `${key}${k}`,
              dueAt: at,
              hold: false,
            });
          await inTransaction(ds, async (em) => {
            for (let i = 0; i < messages.length; i += 500) await writer.enqueue(em, messages.slice(i, i + 500));
          });
          written = due;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const tWritten = now();
      let lastProgress = performance.now();
      for (;;) {
        const pending = await outbox.countBy({ dedupeKey: Like(`${key}%`), status: 'pending' });
        if (pending === 0 || now() - t0 > FLOOD_MAX_S * 1000) break;
        if (performance.now() - lastProgress >= PROGRESS_MS) {
          lastProgress = performance.now();
          log(`  [p3-flood ${name}] ${((now() - t0) / 1000).toFixed(0)} s simulated: ${pending} waiting`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      clock.setSpeed(1);
      const rows = await outbox.find({ where: { dedupeKey: Like(`${key}%`) }, select: { status: true, createdAt: true, sentAt: true } });
      const sent = rows.filter((r) => r.status === 'sent' && r.sentAt);
      const late = sent.map((r) => r.sentAt!.getTime() - r.createdAt.getTime()).sort((a, b) => a - b);
      const lastSent = Math.max(t0, ...sent.map((r) => r.sentAt!.getTime()));
      const messages = landed().filter((m) => m.at >= t0);
      // A digest says how many it stands for; a notice sent alone is one.
      const carried = messages.reduce((n, m) => n + Number(/共有 (\d+) 条新消息/.exec(m.text)?.[1] ?? (m.text.includes('【基准】') ? 1 : 0)), 0);
      // How many of them the messages list one by one (a digest's numbered lines; a notice sent alone is one).
      const listed = messages.reduce((n, m) => n + (/共有 \d+ 条新消息/.test(m.text) ? (m.text.match(/^\d+\. /gm) ?? []).length : 1), 0);
      const left = rows.length - sent.length;
      const drained = left === 0 ? ((lastSent - t0) / 1000).toFixed(1) : `not_within_${FLOOD_MAX_S}`;
      log(
        `[p3-flood ${name}] written in ${((tWritten - t0) / 1000).toFixed(1)} s simulated; ${sent.length}/${total} sent, ${left} left; ` +
          `late p50 ${((late[Math.floor(late.length / 2)] ?? 0) / 1000).toFixed(1)} s, max ${((late[late.length - 1] ?? 0) / 1000).toFixed(1)} s (simulated); ` +
          `${((performance.now() - realStart) / 1000).toFixed(1)} s real`,
      );
      log(
        `flood target=${name} backlog_notices=${total} drained_s=${drained} messages=${messages.length} notices_in_messages=${carried} listed=${listed} sent=${sent.length} throttled=${throttled(t0)}`,
      );
      await outbox.delete({ dedupeKey: Like(`${key}%`), status: 'pending' });
    };
    if (FLOOD) {
      const floodGroup = (await org.createGroup({ platform: 'dingtalk', externalId: 'cidFLOOD', name: '钉钉汇总测试群', unitId: unit, purpose: 'unit' })).id;
      await flood(
        'dingtalk-api-group',
        `group:${floodGroup}`,
        'dingtalk',
        1,
        () =>
          (ding.groupMessages('cidFLOOD') as { at: number; msgParam?: { text?: string } }[]).map((m) => ({ at: m.at, text: String(m.msgParam?.text ?? '') })),
        (since) =>
          calls('dingtalk', '/v1.0/robot/groupMessages/send').filter(
            (c) => c.at >= since && c.status === 403 && String(code(c).code ?? '').includes('QpsLimit'),
          ).length,
      );
      const floodHook = (
        await org.createGroup({
          platform: 'wecom',
          externalId: 'wrFLOOD',
          name: '企业微信汇总测试群',
          unitId: unit,
          purpose: 'broadcast',
          webhookUrl: `${wx.apiBase}/cgi-bin/webhook/send?key=${FLOOD_HOOK}`,
        })
      ).id;
      await flood(
        'wecom-webhook-group',
        `group:${floodHook}`,
        'wecom',
        FLOOD_SPEED,
        () =>
          (wx.webhookMessages(FLOOD_HOOK) as { at: number; markdown?: { content?: string } }[]).map((m) => ({
            at: m.at,
            text: String(m.markdown?.content ?? ''),
          })),
        (since) => calls('wecom', '/cgi-bin/webhook/send').filter((c) => c.at >= since && c.query.key === FLOOD_HOOK && code(c).errcode === 45009).length,
      );
    }
  } finally {
    await nest.close();
    await ding.stop();
    await wx.stop();
    await db.drop();
  }
  const fakeThrottled = results.reduce((s, r) => s + r.throttled, 0);
  // A throttle the relay saw that no target's count explains still counts.
  const throttled = fakeThrottled + Math.max(0, logger.throttleRetries - fakeThrottled);
  log(`relay: ${logger.retries} retries (${logger.throttleRetries} for throttling), ${logger.dead} dead letters, ${logger.errors} errors logged`);
  for (const s of logger.samples) log(`  e.g. ${s}`);
  log(`total ${((performance.now() - started) / 1000).toFixed(1)} s real; rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
  const lowest = results.length ? Math.min(...results.map((r) => r.fraction)) : NaN;
  console.log(`fraction=${lowest.toFixed(3)} throttled=${throttled}`);
}

const COLUMNS: [keyof Row, string][] = [
  ['platform', 'platform'],
  ['target', 'target'],
  ['limit', 'limit'],
  ['window', 'window'],
  ['accepted', 'accepted (measured/all)'],
  ['measured', 'measured s'],
  ['perWindow', 'sustained/window'],
  ['ceiling', 'ceiling'],
  ['fraction', 'fraction'],
  ['peak', 'peak'],
  ['lag', 'slot lag ms'],
  ['throttled', 'throttled'],
];

function printTable(rows: Row[]): void {
  const width = COLUMNS.map(([k, h]) => Math.max(h.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => log(`  ${cells.map((c, i) => (i < 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ')}`);
  line(COLUMNS.map(([, h]) => h));
  for (const r of rows) line(COLUMNS.map(([k]) => String(r[k])));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
