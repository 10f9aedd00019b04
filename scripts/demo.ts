/**
 * npm run demo — the whole thing on one machine: a fake DingTalk and a fake WeCom, the service on a fresh SQLite
 * file with the demo organisation, and a demo clock running DEMO_SPEED times faster (default 1440: a day a minute),
 * so a newcomer watches 13710 reminders and escalation arrive in the groups. Move the clock further with
 *   curl -X POST -H "Authorization: Bearer <admin token>" -H 'Content-Type: application/json' \
 *        localhost:3000/api/demo/clock -d '{"advanceMinutes":600}'
 */
import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FakeDingTalk } from '../fakes/dingtalk';
import { FakeWeCom } from '../fakes/wecom';
import { AppModule } from '../src/app.module';
import { setUpApp } from '../src/app.setup';
import { DemoClock } from '../src/shared/clock';
import { formatShanghai } from '../src/shared/shanghai-time';
import { loadConfig } from '../src/config/app.config';
import { DEMO_ORG } from '../src/demo/demo-org';

const DING = { clientId: 'dingdemo', clientSecret: 'dingdemosecret-0123456789', robotCode: 'dingdemo' };
const WECOM = {
  corpId: 'wwdemo0000000001',
  agent: { agentId: 1000002, secret: 'wecom-demo-secret', token: 'DemoToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' },
  bot: { botId: 'aibdemo', secret: 'wecom-demo-bot-secret', token: 'DemoBotToken', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt' },
};

async function main(): Promise<void> {
  const speed = Number(process.env.DEMO_SPEED ?? 1440);
  const ding = await FakeDingTalk.start({ ...DING, port: 9100, cardTemplateIds: ['tpl-demo'] });
  const wx = await FakeWeCom.start({ corpId: WECOM.corpId, agents: [WECOM.agent], aibot: WECOM.bot, port: 9200 });
  rmSync('./data/demo.sqlite', { force: true });
  rmSync('./data/demo.sqlite-wal', { force: true });
  rmSync('./data/demo.sqlite-shm', { force: true });
  const clock = new DemoClock();
  clock.setSpeed(speed);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: 'sqlite:./data/demo.sqlite',
    DUBAN_DEMO_SEED: 'true',
    DUBAN_REMINDER_TICK_MS: '1000',
    DUBAN_OUTBOX_POLL_MS: '300',
    DINGTALK_CLIENT_ID: DING.clientId,
    DINGTALK_CLIENT_SECRET: DING.clientSecret,
    DINGTALK_ROBOT_CODE: DING.robotCode,
    DINGTALK_CARD_TEMPLATE_ID: 'tpl-demo',
    DINGTALK_API_BASE: ding.apiBase,
    DINGTALK_OAPI_BASE: ding.oapiBase,
    WECOM_CORP_ID: WECOM.corpId,
    WECOM_AGENT_ID: String(WECOM.agent.agentId),
    WECOM_SECRET: WECOM.agent.secret,
    WECOM_TOKEN: WECOM.agent.token,
    WECOM_ENCODING_AES_KEY: WECOM.agent.encodingAESKey,
    WECOM_BOT_ID: WECOM.bot.botId,
    WECOM_BOT_SECRET: WECOM.bot.secret,
    WECOM_API_BASE: wx.apiBase,
    WECOM_AIBOT_WS_URL: wx.aibotWsUrl,
  });
  const app = await NestFactory.create(AppModule.register(config, clock), { logger: ['error', 'warn'] });
  setUpApp(app);
  await app.listen(config.port);
  console.log(`\n督办演示 Duban demo — http://localhost:${config.port}/api/docs`);
  console.log(`fake DingTalk ${ding.apiBase}   fake WeCom ${wx.apiBase}   clock ×${speed} (a day every ${(1440 / speed).toFixed(1)} min)`);
  console.log(`admin token: ${config.adminToken}   demo people's tokens: data/demo-tokens.txt`);
  console.log("Messages as they arrive in the groups and on people's phones:\n");

  // Show what lands at the fakes, the way people would see it.
  const seen = new Map<string, number>();
  const show = (where: string, list: object[]) => {
    for (const m of list.slice(seen.get(where) ?? 0)) {
      const text = JSON.stringify(m).match(/(【[^"\\]+)/)?.[1] ?? JSON.stringify(m).slice(0, 120);
      console.log(`[${formatShanghai(clock.now())}] ${where}: ${text}`);
    }
    seen.set(where, list.length);
  };
  setInterval(() => {
    for (const g of DEMO_ORG.groups) show(`${g.name}`, g.platform === 'dingtalk' ? ding.groupMessages(g.externalId) : wx.groupMessages(g.externalId));
    for (const p of DEMO_ORG.people) {
      if (p.dingtalkUserId) show(`${p.name}（钉钉）`, ding.directMessages(p.dingtalkUserId));
      if (p.wecomUserId) show(`${p.name}（企业微信）`, wx.userMessages(p.wecomUserId));
    }
  }, 1000).unref();

  const stop = async () => {
    await app.close();
    await ding.stop();
    await wx.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
