import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { startDemo, type RunningDemo } from '../../scripts/demo/start-demo';
import { TokenService } from '../../src/auth/token.service';
import { BulletinService } from '../../src/bulletins/bulletin.service';
import type { SimEvent } from '../../src/demo/simulator.port';
import { Person } from '../../src/org/person.entity';
import { atWorkingMorning } from '../support/demo-browser';
import { eventually } from '../support/eventually';

/**
 * Issue 16: the simulator tells the page a DingTalk card's state as soon as the card lands, not only when it changes —
 * a card delivered and never updated (the leader's 审定 card for a 通报, before he decides) showed in its pane as an
 * empty message until the page was reloaded.
 */

jest.setTimeout(180_000);

let demo: RunningDemo;

beforeAll(async () => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'duban-simcards-'));
  demo = await startDemo({ databaseUrl: `sqlite:${join(dir, 'demo.sqlite')}`, port: 0, fakePorts: { dingtalk: 0, wecom: 0 }, logger: ['error'] });
  await atWorkingMorning(demo); // R10: a card written at night waits for the morning
}, 150_000);

afterAll(async () => {
  await demo?.stop();
  jest.restoreAllMocks();
});

it('a DingTalk card sent one to one reaches the listeners with its state at once, before anyone presses anything', async () => {
  const events: SimEvent[] = [];
  const stop = demo.simulator.subscribe((e) => events.push(e));
  const people = demo.app.get(DataSource).getRepository(Person);
  const wang = (await demo.app.get(TokenService).actorFor((await people.findOneByOrFail({ name: '王督查' })).id, 'api'))!;
  const bulletins = demo.app.get(BulletinService);
  const b = await bulletins.generate({ kind: 'key_supervision', period: '2026-01-01~2026-01-15' }, wang);
  await bulletins.submit(b.number, wang);

  const landed = await eventually(
    () => events.flatMap((e) => (e.type === 'message' && e.message.chatId === 'dingtalk:direct:dt-zhao' ? [e.message.cardId] : [])).find(Boolean),
    30_000,
    "the leader's card landing",
  );
  const state = await eventually(
    () => events.flatMap((e) => (e.type === 'card' && e.card.id === landed ? [e.card] : []))[0],
    30_000,
    "the state of the leader's card told",
  );
  stop();
  expect(state.params).toMatchObject({ kind: 'decision', number: b.number });
  expect(state.params?.buttons).toContain('同意印发');
});
