import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { FakeDingTalk } from '../../fakes/dingtalk';
import { FakeWeCom } from '../../fakes/wecom';
import { AppModule } from '../../src/app.module';
import { setUpApp } from '../../src/app.setup';
import { SessionService } from '../../src/auth/session.service';
import { loadConfig } from '../../src/config/app.config';
import { DEMO_ORG } from '../../src/demo/demo-org';
import type { ScenarioPace } from '../../src/demo/scenarios/scenario-runner';
import { DemoClock } from '../../src/shared/clock';
import { FakesSimulator } from './fakes-simulator';
import { DataSource } from 'typeorm';
import { Person } from '../../src/org/person.entity';

export const DEMO_DING = { clientId: 'dingdemo', clientSecret: 'dingdemosecret-0123456789', robotCode: 'dingdemo', template: 'tpl-demo' };
export const DEMO_WECOM = {
  corpId: 'wwdemo0000000001',
  agent: { agentId: 1000002, secret: 'wecom-demo-secret', token: 'DemoToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' },
  bot: { botId: 'aibdemo', secret: 'wecom-demo-bot-secret', token: 'DemoBotToken', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt' },
};
/** The page the printed link lands on. */
export const SIMULATOR_PATH = '/演示';
/** Who the printed link signs in: the demo organisation's administrator. */
const ADMIN_NAME = '系统管理员';

export interface DemoOptions {
  /** Default: a fresh `sqlite:./data/demo.sqlite` (deleted first). A MariaDB URL or another SQLite file is used as given. */
  databaseUrl?: string;
  /** The service's port; 0 = any free one. Default 3000 (PORT). */
  port?: number;
  /** The fakes' ports; 0 = any free one. Default 9100 and 9200. */
  fakePorts?: { dingtalk: number; wecom: number };
  /** The demo clock's speed (1 = real time; `npm run demo` uses 60). Sessions and sign-in links run on real time. */
  speed?: number;
  /** Nest's log levels (default errors and warnings). */
  logger?: LogLevel[];
  /** Where the built console is (default web/dist). */
  webDist?: string;
  /** The guided scenarios' pause before each step and patience for a chat (default 3.5 s and 90 s). */
  scenarioPace?: Partial<ScenarioPace>;
  /** How often (real time) the reminder tick runs; 1 s by default, faster in tests. */
  reminderTickMs?: number;
}

export interface RunningDemo {
  app: INestApplication;
  /** Where people reach the service, e.g. http://localhost:3000. */
  url: string;
  ding: FakeDingTalk;
  wx: FakeWeCom;
  clock: DemoClock;
  simulator: FakesSimulator;
  /** A one-time link (10 real minutes, whatever the demo clock does) that signs in as the administrator and opens the simulator. */
  signInLink(): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Issue 16: the whole demo in one process — a fake DingTalk and a fake WeCom, the chat simulator listening to them, and
 * the service (demo organisation, demo clock) talking to both over real sockets. `npm run demo` and the browser test
 * start the same thing.
 */
export async function startDemo(opts: DemoOptions = {}): Promise<RunningDemo> {
  const ding = await FakeDingTalk.start({ ...DEMO_DING, port: opts.fakePorts?.dingtalk ?? 9100, cardTemplateIds: [DEMO_DING.template] });
  const wecomMembers = DEMO_ORG.people.map((p) => p.wecomUserId).filter((u): u is string => !!u);
  const wx = await FakeWeCom.start({
    corpId: DEMO_WECOM.corpId,
    agents: [DEMO_WECOM.agent],
    aibot: DEMO_WECOM.bot,
    members: wecomMembers,
    port: opts.fakePorts?.wecom ?? 9200,
  });
  const clock = new DemoClock();
  clock.setSpeed(opts.speed ?? 1);
  // Listening before the service starts: the cards of the sample items land in the simulator too.
  const simulator = new FakesSimulator(ding, wx, clock, DEMO_ORG, DEMO_WECOM.agent.agentId);

  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    const file = './data/demo.sqlite';
    mkdirSync(dirname(file), { recursive: true });
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    databaseUrl = `sqlite:${file}`;
  }
  const port = opts.port === 0 ? await freePort() : (opts.port ?? Number(process.env.PORT ?? 3000));
  const url = `http://localhost:${port}`;
  const config = loadConfig({
    ...process.env,
    PORT: String(port),
    DUBAN_PUBLIC_URL: url,
    DATABASE_URL: databaseUrl,
    DUBAN_DEMO_SEED: 'true',
    DUBAN_REMINDER_TICK_MS: String(opts.reminderTickMs ?? 1000),
    DUBAN_OUTBOX_POLL_MS: '200',
    DINGTALK_CLIENT_ID: DEMO_DING.clientId,
    DINGTALK_CLIENT_SECRET: DEMO_DING.clientSecret,
    DINGTALK_ROBOT_CODE: DEMO_DING.robotCode,
    DINGTALK_CARD_TEMPLATE_ID: DEMO_DING.template,
    DINGTALK_API_BASE: ding.apiBase,
    DINGTALK_OAPI_BASE: ding.oapiBase,
    WECOM_CORP_ID: DEMO_WECOM.corpId,
    WECOM_AGENT_ID: String(DEMO_WECOM.agent.agentId),
    WECOM_SECRET: DEMO_WECOM.agent.secret,
    WECOM_TOKEN: DEMO_WECOM.agent.token,
    WECOM_ENCODING_AES_KEY: DEMO_WECOM.agent.encodingAESKey,
    WECOM_BOT_ID: DEMO_WECOM.bot.botId,
    WECOM_BOT_SECRET: DEMO_WECOM.bot.secret,
    WECOM_API_BASE: wx.apiBase,
    WECOM_AIBOT_WS_URL: wx.aibotWsUrl,
  });
  // Sessions, sign-in links and platform signatures run on the system clock (ConfigModule: the demo clock is not theirs).
  const app = await NestFactory.create(AppModule.register(config, clock, { simulator, scenarioPace: opts.scenarioPace }), {
    logger: opts.logger ?? ['error', 'warn'],
  });
  setUpApp(app, { webDist: opts.webDist });
  await app.listen(port);
  // The self-built app's cards (the leader's 审定 on the phone) are clicked through its encrypted callback.
  wx.setAppCallbackUrl(DEMO_WECOM.agent.agentId, `http://127.0.0.1:${port}/callbacks/wecom/app`);
  // The AI bot's long connection: up before anyone types in a WeCom group.
  await wx.waitFor(() => wx.botConnections() > 0, 30_000);

  return {
    app,
    url,
    ding,
    wx,
    clock,
    simulator,
    async signInLink() {
      const admin = await app.get(DataSource).getRepository(Person).findOneByOrFail({ name: ADMIN_NAME });
      const sessions = app.get(SessionService);
      const code = await sessions.issueLoginCode(admin.id);
      return `${sessions.loginLink(code)}&next=${encodeURIComponent(SIMULATOR_PATH)}`;
    },
    async stop() {
      simulator.close();
      await app.close();
      await ding.stop();
      await wx.stop();
    },
  };
}
