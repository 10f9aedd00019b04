/**
 * npm run bench:callbacks — card clicks per second and p50/p99 answer latency, against MariaDB:
 * DingTalk over Stream (time from the push to the ACK carrying the new card), then WeCom over the AI bot's long
 * connection (time from the click event to the card update arriving at the fake; polled every 10 ms).
 * Starts the fake DingTalk and the service (its real Stream client, relay and database), registers ITEMS items with
 * their cards delivered, then clicks 反馈 on the cards WARMUP times (1,000, not counted: the first clicks run while V8
 * compiles the hot paths, and a service answers clicks for days) and CLICKS times (5,000), CONCURRENCY at a time,
 * timing each click from the push to the ACK at the fake. Creates and drops its own database.
 *
 * Also counted: the SQL statements per click (every statement the service sent while the clicks ran, by origin: the
 * click's own handling — inbox, command, the card read back for the answer —, the outbox relay meanwhile, and the
 * rest), the CPU per click (this process, and the database server where /proc shows it), and InnoDB's deadlocks
 * during the run. DingTalk's clicks run over TCP and then over the server's Unix socket when it runs on this machine
 * (TRANSPORT=tcp|socket|both; WeCom's over TCP). The last line is
 * `ack_p99_ms=… clicks_per_s=… statements_per_click=… round_trips_per_click=… transport=… tcp_ack_p99_ms=… tcp_clicks_per_s=…`
 * (DingTalk's ACK over the last transport, then over TCP when both ran; WeCom's figures when only WeCom runs), where
 * the statements and round trips count the click's own handling.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { FakeDingTalk } from '../fakes/dingtalk';
import { FakeWeCom } from '../fakes/wecom';
import { benchDatabase, countStatements, cpuFromHere, type Deadlocks, localSocket, percentile, tagStatementOrigins } from './support';
import { BotRouter } from '../src/chat/bot-router.service';
import { OutboxRelay } from '../src/outbox/outbox.relay';
import { AppModule } from '../src/app.module';
import { TokenService } from '../src/auth/token.service';
import { ItemCommandsService } from '../src/cases/item-commands.service';
import { RegistrationService } from '../src/cases/registration.service';
import { OffsetClock } from '../src/shared/clock';
import { loadConfig } from '../src/config/app.config';
import { OrgService } from '../src/org/org.service';

const ITEMS = Number(process.env.ITEMS ?? 200);
const CLICKS = Number(process.env.CLICKS ?? 5000);
/** Clicks before the measured ones, not counted (V8 compiling the hot paths). */
const WARMUP = Number(process.env.WARMUP ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const log = (s: string) => console.log(`[bench:callbacks] ${s}`);
const pct = percentile;

const WECOM_ITEMS = Number(process.env.WECOM_ITEMS ?? 500);
const PLATFORM = process.env.PLATFORM ?? 'both';
const TRANSPORT = process.env.TRANSPORT ?? 'both';

/** What one platform's run measured, for the closing line. */
interface Figures {
  p99: number;
  clicksPerSecond: number;
  statementsPerClick: number;
  tripsPerClick: number;
  transport: 'tcp' | 'socket';
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/**
 * The service's clock, at a working hour: R10 holds notices and cards written in quiet hours (22:00–08:00 Shanghai)
 * or on a rest day to the next working morning, so a run started in the evening would wait for ever for its cards.
 * Outside 08:30–21:00 on a weekday it is moved ahead to the next weekday's 10:00 (Asia/Shanghai); in working hours it
 * is the real time.
 */
function workingHoursClock(): OffsetClock {
  const clock = new OffsetClock();
  const shanghai = new Date(Date.now() + 8 * 3_600_000); // its UTC fields read as Shanghai's wall clock
  const minutes = shanghai.getUTCHours() * 60 + shanghai.getUTCMinutes();
  const weekday = (d: Date) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
  if (weekday(shanghai) && minutes >= 8 * 60 + 30 && minutes <= 21 * 60) return clock;
  const target = new Date(shanghai);
  if (minutes > 21 * 60 || !weekday(shanghai)) target.setUTCDate(target.getUTCDate() + 1);
  while (!weekday(target)) target.setUTCDate(target.getUTCDate() + 1);
  target.setUTCHours(10, 0, 0, 0);
  clock.advance(target.getTime() - shanghai.getTime());
  log(`service clock moved ahead ${((target.getTime() - shanghai.getTime()) / 3_600_000).toFixed(1)} h to a working hour (quiet hours hold cards)`);
  return clock;
}

async function main(): Promise<void> {
  tagStatementOrigins(BotRouter, OutboxRelay);
  log(`load average ${load()} (1, 5, 15 min) at the start`);
  // TRANSPORT: how the service reaches MariaDB — 'tcp' (127.0.0.1:3306, as to a server on another machine), 'socket'
  // (the server's Unix socket, as a service on the database's own machine connects: ?socket= in DATABASE_URL, README),
  // or 'both' (the default when the server runs here): DingTalk's clicks over each, one after the other.
  const socket = TRANSPORT === 'tcp' ? null : await localSocket();
  if (TRANSPORT === 'socket' && !socket) throw new Error('TRANSPORT=socket: the bench server is not on this machine, or its socket is not here');
  const transports: (string | null)[] = TRANSPORT === 'socket' ? [socket] : socket ? [null, socket] : [null];
  const ding: Figures[] = [];
  if (PLATFORM !== 'wecom') for (const t of transports) ding.push(await dingtalk(t));
  const wx = PLATFORM !== 'dingtalk' ? await wecom() : null;
  log(`load average ${load()} at the end`);
  const f = (ding[ding.length - 1] ?? wx)!;
  const tcp = ding.length > 1 ? ` tcp_ack_p99_ms=${ding[0].p99.toFixed(1)} tcp_clicks_per_s=${ding[0].clicksPerSecond.toFixed(1)}` : '';
  console.log(
    `ack_p99_ms=${f.p99.toFixed(1)} clicks_per_s=${f.clicksPerSecond.toFixed(1)} statements_per_click=${f.statementsPerClick.toFixed(1)} round_trips_per_click=${f.tripsPerClick.toFixed(1)} transport=${f.transport}${tcp}`,
  );
}

/** Counts statements from here on: the returned function gives the statements and round trips per click since then (logging them by origin). */
function statementsFromHere(nest: { get<T>(t: abstract new (...a: never[]) => T): T }) {
  const counts = countStatements(nest.get(DataSource));
  const from = counts();
  return (label: string, clicks: number): { statements: number; trips: number } => {
    const now = counts();
    const per = (k: keyof typeof now) => (now[k] - from[k]) / clicks;
    log(
      `${label} SQL statements per click: ${per('click').toFixed(1)} in the click (inbox, command, the card read back; ${per('clickControl').toFixed(1)} of them transaction control) in ${per('clickTrips').toFixed(1)} round trips; meanwhile ${per('relay').toFixed(1)} by the outbox relay and ${per('other').toFixed(1)} other`,
    );
    return { statements: per('click'), trips: per('clickTrips') };
  };
}

/** CPU per click while the clicks ran: this process (service, fake and bench together) and the database server (all its work). */
function logCpu(label: string, used: { nodeMs: number; serverMs: number | null }, clicks: number): void {
  const server = used.serverMs === null ? 'not visible here' : `${(used.serverMs / clicks).toFixed(2)} ms (all its databases)`;
  log(`${label} CPU per click: this process ${(used.nodeMs / clicks).toFixed(2)} ms (service, fake and bench); database server ${server}`);
}

/** InnoDB's deadlocks since `before` (this run's setup and clicks): how many on the server, and whether the latest was in this run's database. */
function logDeadlocks(label: string, before: Deadlocks, now: Deadlocks): void {
  const where = now.latestAt ? `; the latest on the server (${now.latestAt}) ${now.latestHere ? 'was in this database' : 'was elsewhere'}` : '';
  log(`${label} InnoDB deadlocks during this run: ${now.count - before.count} on the server (all databases)${where}`);
}

async function dingtalk(socket: string | null): Promise<Figures> {
  const app = { clientId: 'dingbench', clientSecret: 'dingbench-secret-0123456789', robotCode: 'dingbench' };
  const fake = await FakeDingTalk.start({ ...app, qpsLimitPerApi: 1_000_000, cardCallbackTimeoutMs: 30_000 });
  const db = await benchDatabase('duban_bench_cb', CONCURRENCY + 4, socket ?? undefined);
  const deadlocksBefore = await db.deadlocks();
  const dbName = db.name;
  const config = loadConfig({
    DATABASE_URL: db.url,
    DUBAN_ADMIN_TOKEN: 'bench-admin-token-000000',
    DUBAN_DEMO_SEED: 'false',
    DINGTALK_CLIENT_ID: app.clientId,
    DINGTALK_CLIENT_SECRET: app.clientSecret,
    DINGTALK_ROBOT_CODE: app.robotCode,
    DINGTALK_CARD_TEMPLATE_ID: 'tpl-bench',
    DINGTALK_API_BASE: fake.apiBase,
    DINGTALK_OAPI_BASE: fake.oapiBase,
    DUBAN_OUTBOX_POLL_MS: '100',
  });
  const nest = await NestFactory.createApplicationContext(AppModule.register(config, workingHoursClock()), { logger: ['error'] });
  try {
    log(
      `[dingtalk] fake DingTalk ${fake.apiBase}; database ${dbName} over ${socket ? `the Unix socket ${socket}` : 'TCP'}; ${ITEMS} items, ${CLICKS} clicks, concurrency ${CONCURRENCY}`,
    );
    const org = nest.get(OrgService);
    const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    await org.createGroup({ platform: 'dingtalk', externalId: 'cidBENCH', name: '发改委督办群', unitId: unit, purpose: 'unit' });
    const tokens = nest.get(TokenService);
    const person = async (name: string, dt: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await tokens.actorFor((await org.createPerson({ name, roles, identities: [{ platform: 'dingtalk', externalUserId: dt }] })).id, 'api'))!;
    const sup = await person('督查员', 'dt-sup', [{ role: 'supervisor' }, { role: 'owner' }]);
    const leader = await person('领导', 'dt-leader', [{ role: 'leader' }]);
    const contact = await person('联络员', 'dt-contact', [{ role: 'unit_contact', unitId: unit }]);
    const reg = nest.get(RegistrationService);
    const cmd = nest.get(ItemCommandsService);
    for (let i = 0; i < ITEMS; i++) {
      const item = await reg.register(
        { title: `基准事项${i}`, content: '内容', source: 'meeting', leaderId: leader.personId!, leadUnitId: unit, deadline: { node: '7d' } },
        sup,
      );
      await cmd.assign(item.number, sup);
      await cmd.sign(item.number, contact);
    }
    await fake.waitFor(() => fake.connections() > 0, 15_000);
    const cards = await fake.waitFor(() => {
      const all = [...fake.cards().values()].filter((c) => c.openSpaceId.endsWith('cidBENCH'));
      return all.length >= ITEMS ? all : false;
    }, 120_000);
    log(`[dingtalk] ${cards.length} cards delivered; clicking`);

    // Clicks `count` times, CONCURRENCY at a time, from click number `from`; the ACK latencies.
    const clickRun = async (from: number, count: number, every: number): Promise<number[]> => {
      const latencies: number[] = [];
      let next = from;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < from + count) {
            const i = next++;
            const card = cards[i % cards.length];
            const t0 = performance.now();
            const click = await fake.clickCardButton({
              outTrackId: card.outTrackId,
              userId: 'dt-contact',
              actionId: 'report',
              params: { content: `第${i}次反馈：进展正常` },
            });
            await click.ack;
            latencies.push(performance.now() - t0);
            if ((i - from + 1) % every === 0) log(`  ${i - from + 1}/${count} clicks`);
          }
        }),
      );
      return latencies;
    };
    if (WARMUP > 0) {
      // A service answers clicks for days: its first ones, while V8 compiles the hot paths, are not its pace.
      const t = performance.now();
      await clickRun(0, WARMUP, Number.MAX_SAFE_INTEGER);
      log(`[dingtalk] ${WARMUP} warm-up clicks first (not counted), ${((WARMUP / (performance.now() - t)) * 1000).toFixed(1)} clicks/s`);
    }
    const phase = statementsFromHere(nest);
    const cpu = cpuFromHere();
    const started = performance.now();
    const latencies = await clickRun(WARMUP, CLICKS, 1000);
    const secs = (performance.now() - started) / 1000;
    log(`[dingtalk] ${CLICKS} card clicks in ${secs.toFixed(1)} s: ${(CLICKS / secs).toFixed(1)} clicks/s`);
    log(
      `[dingtalk] ACK latency p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (DingTalk allows 2000 ms)`,
    );
    log(`memory: rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
    logCpu('[dingtalk]', cpu(), CLICKS);
    const sql = phase('[dingtalk]', CLICKS);
    logDeadlocks('[dingtalk]', deadlocksBefore, await db.deadlocks());
    return {
      p99: pct(latencies, 99),
      clicksPerSecond: CLICKS / secs,
      statementsPerClick: sql.statements,
      tripsPerClick: sql.trips,
      transport: socket ? 'socket' : 'tcp',
    };
  } finally {
    await nest.close();
    await fake.stop();
    await db.drop();
  }
}

/** WeCom: WECOM_ITEMS items, each clicked 签收 once (a real state change), CONCURRENCY at a time. */
async function wecom(): Promise<Figures> {
  const corp = 'wwbench00000001';
  const agent = { agentId: 1000002, secret: 'wecom-bench-secret-0123', token: 'BenchToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
  const bot = { botId: 'aibbench', secret: 'wecom-bench-bot-secret', token: 'BotBench', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt' };
  const fake = await FakeWeCom.start({ corpId: corp, agents: [agent], aibot: bot, memberPerMinute: 1_000_000 });
  const db = await benchDatabase('duban_bench_wx', CONCURRENCY + 4);
  const deadlocksBefore = await db.deadlocks();
  const dbName = db.name;
  const config = loadConfig({
    DATABASE_URL: db.url,
    DUBAN_ADMIN_TOKEN: 'bench-admin-token-000000',
    DUBAN_DEMO_SEED: 'false',
    WECOM_CORP_ID: corp,
    WECOM_AGENT_ID: String(agent.agentId),
    WECOM_SECRET: agent.secret,
    WECOM_TOKEN: agent.token,
    WECOM_ENCODING_AES_KEY: agent.encodingAESKey,
    WECOM_BOT_ID: bot.botId,
    WECOM_BOT_SECRET: bot.secret,
    WECOM_API_BASE: fake.apiBase,
    WECOM_AIBOT_WS_URL: fake.aibotWsUrl,
    DUBAN_OUTBOX_POLL_MS: '100',
  });
  const nest = await NestFactory.createApplicationContext(AppModule.register(config, workingHoursClock()), { logger: ['error'] });
  try {
    log(`[wecom] fake WeCom ${fake.apiBase}; database ${dbName}; ${WECOM_ITEMS} items, one 签收 click each, concurrency ${CONCURRENCY}`);
    const org = nest.get(OrgService);
    const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    await org.createGroup({ platform: 'wecom', externalId: 'wrBENCH', name: '发改委督办群', unitId: unit, purpose: 'unit' });
    const tokens = nest.get(TokenService);
    const person = async (name: string, wx: string, roles: Parameters<OrgService['createPerson']>[0]['roles']) =>
      (await tokens.actorFor((await org.createPerson({ name, roles, identities: [{ platform: 'wecom', externalUserId: wx }] })).id, 'api'))!;
    const sup = await person('督查员', 'wx-sup', [{ role: 'supervisor' }, { role: 'owner' }]);
    const leader = await person('领导', 'wx-leader', [{ role: 'leader' }]);
    await person('联络员', 'wx-contact', [{ role: 'unit_contact', unitId: unit }]);
    await fake.waitFor(() => fake.botConnections() > 0, 15_000);
    const reg = nest.get(RegistrationService);
    const cmd = nest.get(ItemCommandsService);
    for (let i = 0; i < WECOM_ITEMS; i++) {
      const item = await reg.register(
        { title: `基准事项${i}`, content: '内容', source: 'meeting', leaderId: leader.personId!, leadUnitId: unit, deadline: { node: '7d' } },
        sup,
      );
      await cmd.assign(item.number, sup);
    }
    const cards = await fake.waitFor(() => {
      const all = [...fake.cards().values()].filter((c) => c.chatId === 'wrBENCH');
      return all.length >= WECOM_ITEMS ? all : false;
    }, 120_000);
    log(`[wecom] ${cards.length} cards in the group; clicking`);
    const phase = statementsFromHere(nest);
    const cpu = cpuFromHere();
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cards.length) {
          const card = cards[next++];
          const t0 = performance.now();
          await fake.botCardClick({ chatId: 'wrBENCH', userId: 'wx-contact', taskId: card.taskId, eventKey: 'sign' });
          await fake.waitFor(() => card.updates.length > 0, 30_000);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const secs = (performance.now() - started) / 1000;
    log(`[wecom] ${cards.length} card clicks in ${secs.toFixed(1)} s: ${(cards.length / secs).toFixed(1)} clicks/s`);
    log(
      `[wecom] click → card update p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (WeCom allows 5000 ms)`,
    );
    logCpu('[wecom]', cpu(), cards.length);
    const sql = phase('[wecom]', cards.length);
    logDeadlocks('[wecom]', deadlocksBefore, await db.deadlocks());
    return { p99: pct(latencies, 99), clicksPerSecond: cards.length / secs, statementsPerClick: sql.statements, tripsPerClick: sql.trips, transport: 'tcp' };
  } finally {
    await nest.close();
    await fake.stop();
    await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
