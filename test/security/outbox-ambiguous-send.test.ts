import type { LoggerService } from '@nestjs/common';
import { FakeWeCom } from '../../fakes/wecom';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { OffsetClock } from '../../src/shared/clock';
import { OrgService } from '../../src/org/org.service';
import { eventually } from '../support/eventually';
import { PrivateMariaDb } from '../support/mariadb-server';
import { AGENT, BOT, CORP, wecomEnv } from '../support/platform-env';
import { startTestApp, TestApp } from '../support/test-app';

/** Short, so the lease of the row in flight runs out while the database is away (as in a real outage longer than a minute). */
const LEASE_MS = 1_500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The service's log, kept to read what the relay said (a LoggerService of Nest's own kind, not a mock). */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]) {
    this.lines.push([message, ...rest].map(String).join(' '));
  }
  error(message: unknown, ...rest: unknown[]) {
    this.log(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.log(message, ...rest);
  }
}

/**
 * P2 (the outbox sends each message once, after commit), issue 11 (a database outage): the one window the lease does
 * not cover. The relay has sent a message and WeCom has taken it, and then — before the relay has written down that
 * it went — the database dies. The fake WeCom makes that moment exact: it puts the bot's reply into the group, holds
 * its ack, kills the service's private MariaDB, and only then acks. The row's lease runs out during the outage; when
 * the database is back the row must be marked sent, not sent a second time. (Seen once in a full run of
 * test/security/outage.test.ts: 74 「反馈已记录」 in the groups for 73 messages. There the last message before the kill
 * is a WeCom one, its reply on its way just as the database dies; the row sent twice had one attempt and no error, so
 * the test's list of retried rows did not show it.)
 */
describe('a reply the platform took just before the database died (P2, issue 11)', () => {
  let server: PrivateMariaDb;
  let wx: FakeWeCom;
  let t: TestApp;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    server = await PrivateMariaDb.start();
    const databaseUrl = await server.createDatabase();
    wx = await FakeWeCom.start({ corpId: CORP, agents: [AGENT], aibot: BOT });
    t = await startTestApp({
      clock: new OffsetClock(),
      listen: true,
      databaseUrl,
      logger,
      env: { ...wecomEnv(wx), DUBAN_OUTBOX_POLL_MS: '50', DUBAN_OUTBOX_LEASE_MS: String(LEASE_MS) },
    });
    const org = t.get(OrgService);
    const unit = (await org.createUnit({ code: 'FGW', name: '市发展改革委' })).id;
    await org.createGroup({ platform: 'wecom', externalId: 'wrFGW', name: '发改委督办群（企业微信）', unitId: unit, purpose: 'unit' });
    await org.createPerson({
      name: '联络员甲',
      roles: [{ role: 'unit_contact', unitId: unit }],
      identities: [{ platform: 'wecom', externalUserId: 'wx-a' }],
    });
    await wx.waitFor(() => wx.botConnections() > 0, 10_000);
  }, 60_000);

  afterAll(async () => {
    if (server && !server.alive) await server.restart();
    await t?.close();
    await wx?.stop();
    await server?.stop();
  });

  const inGroup = () => wx.groupMessages('wrFGW').filter((m) => (m as { via?: string }).via === 'bot-send');
  const healthy = async () => (await fetch(`${t.url}/health`, { signal: AbortSignal.timeout(5_000) })).status === 200;

  it('is in the group once: what went out is written down when the database answers again, not sent again after the lease', async () => {
    const toGroup = (body: unknown) => (body as { chatid?: string }).chatid === 'wrFGW';
    let killed = false;
    wx.holdBotAck('aibot_send_msg', toGroup, async () => {
      await server.kill();
      killed = true;
    });

    await wx.botGroupText({ chatId: 'wrFGW', userId: 'wx-a', text: '@督办助手 /帮助' });
    await wx.waitFor(() => killed && inGroup().length === 1, 15_000);
    // WeCom has said ok by now; the relay could not write it down. The row's lease runs out while the database is away.
    await sleep(LEASE_MS + 1_000);
    await server.restart();
    await eventually(healthy, 30_000, 'health 200 after the restart');

    const reply = await eventually(
      async () => (await t.db.getRepository(OutboxMessage).findBy({ kind: 'bot_reply' })).find((r) => r.status === 'sent'),
      15_000,
      'the reply marked sent',
    );
    // Anything still on its way (a second claim after the lease) would show up now.
    await sleep(LEASE_MS * 2);
    expect(inGroup()).toHaveLength(1);
    expect(await t.db.getRepository(OutboxMessage).findOneByOrFail({ id: reply.id })).toMatchObject({ status: 'sent', attempts: 1, lockedBy: null });
    expect(logger.lines.filter((l) => l.includes('outbox_sent_recorded_late') && l.includes(`"id":${reply.id}`))).toHaveLength(1);
  }, 90_000);
});
