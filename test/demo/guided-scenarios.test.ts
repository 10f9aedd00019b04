import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, In } from 'typeorm';
import { startDemo, type RunningDemo } from '../../scripts/demo/start-demo';
import { Item } from '../../src/cases/item.entity';
import type { ScenarioProgress } from '../../src/demo/scenarios/scenario-progress';
import { ScenarioRunner } from '../../src/demo/scenarios/scenario-runner';
import { shanghaiDate, toShanghaiIso } from '../../src/shared/shanghai-time';

/**
 * Issue 16 §5: the guided scenarios played to the end without a browser (the page's test plays the 通报 one): the
 * demo as `npm run demo` starts it, the runner as the page starts it. 交办到审定 closes an item on each platform through
 * the fakes' paths; 逾期催办 walks the demo clock through the ladder and every reminder lands in working hours.
 */

jest.setTimeout(600_000);

let demo: RunningDemo;
let runner: ScenarioRunner;

beforeAll(async () => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'duban-gs-'));
  demo = await startDemo({
    databaseUrl: `sqlite:${join(dir, 'demo.sqlite')}`,
    port: 0,
    fakePorts: { dingtalk: 0, wecom: 0 },
    logger: ['error'],
    // A faster reminder tick, and settle()'s two looks just over one tick apart: the overdue ladder's ~50 clock jumps
    // each wait for them (with the demo's 1 s tick and 1.2 s looks the file took over two minutes).
    reminderTickMs: 200,
    scenarioPace: { pauseMs: 100, patienceMs: 120_000, settleLookMs: 300 },
  });
  runner = demo.app.get(ScenarioRunner, { strict: false });
}, 150_000);

afterAll(async () => {
  await demo?.stop();
  jest.restoreAllMocks();
});

/** Plays a scenario and resolves with its last progress once it is over. */
function play(id: string): Promise<ScenarioProgress> {
  return new Promise((resolve) => {
    const stop = runner.subscribe((p) => {
      if (p.state !== 'running') {
        stop();
        resolve(p);
      }
    });
    runner.start(id);
  });
}

const numbers = (p: ScenarioProgress, prefix: string) => [...new Set(p.done.flatMap((d) => d.result?.match(new RegExp(`${prefix}\\d{4}-\\d{4}`, 'g')) ?? []))];

it('C5, D2, D3: 交办到审定 plays to the end — an item closed on DingTalk and one on WeCom, every act through a fake', async () => {
  const p = await play('walk');
  expect({ state: p.state, message: p.message }).toEqual({ state: 'done', message: expect.stringMatching(/已演示完毕/) });
  expect(p.done).toHaveLength(12);
  const items = await demo.app
    .get(DataSource)
    .getRepository(Item)
    .findBy({ number: In(numbers(p, 'DB')) });
  expect(items.map((i) => i.state)).toEqual(['closed', 'closed']);
  // Clicked and typed as the demo people, in their chats (what the simulator recorded as theirs).
  const acts = demo.simulator
    .chats()
    .flatMap((c) =>
      (demo.simulator.messages(c.id) ?? []).filter((m) => m.from === 'person').map((m) => `${c.platform}:${m.sender?.name}:${JSON.stringify(m.body)}`),
    );
  for (const want of [
    /dingtalk:陈联络:.*"sign"/,
    /dingtalk:陈联络:.*"close"/,
    /wecom:吴联络:.*"sign"/,
    /wecom:吴联络:.*\/办结/,
    /:王督查:.*rate:excellent/,
    /:赵副市长:.*"approve"/,
  ])
    expect(acts.some((a) => want.test(a))).toBe(true);
});

it('R1, R4, R5, R10: 逾期催办 — the ladder arrives in the unit group in working hours, then 重点督办; the late report ends it', async () => {
  const p = await play('overdue');
  expect({ state: p.state, message: p.message }).toEqual({ state: 'done', message: expect.stringMatching(/已演示完毕/) });
  const [number] = numbers(p, 'DB');
  const item = await demo.app.get(DataSource).getRepository(Item).findOneByOrFail({ number });
  expect(item.keySupervision).toBe(true);
  const group = demo.simulator.chats().find((c) => c.title === '教育局督办群')!;
  const reminders = (demo.simulator.messages(group.id) ?? []).filter(
    (m) => m.from === 'bot' && JSON.stringify(m.body).includes(number) && /督办提醒|重点督办/.test(JSON.stringify(m.body)),
  );
  // 5 h before, the first day's 3-hourly urges, the second day's 2-hourly ones, 重点督办 — at least a dozen, all by day.
  expect(reminders.length).toBeGreaterThanOrEqual(12);
  const hours = reminders.map((m) => `${shanghaiDate(new Date(m.at))} ${m.at.slice(11, 16)}`);
  expect(hours.filter((h) => Number(h.slice(11, 13)) < 8 || Number(h.slice(11, 13)) >= 22)).toEqual([]);
  expect(JSON.stringify(reminders.at(-1)?.body)).toContain('重点督办');
  // The night after the deadline is one message at 08:00, not several in the night.
  expect(hours.some((h) => h.endsWith('08:00'))).toBe(true);
  expect(toShanghaiIso(demo.clock.now())! > toShanghaiIso(item.deadlineAt)!).toBe(true);
});
