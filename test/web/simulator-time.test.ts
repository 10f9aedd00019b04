import type { Browser, Page } from 'playwright-core';
import { DataSource, LessThanOrEqual } from 'typeorm';
import type { RunningDemo } from '../../scripts/demo/start-demo';
import { openSimulator, startDemoAndBrowser } from '../support/demo-browser';
import { TokenService } from '../../src/auth/token.service';
import { Item } from '../../src/cases/item.entity';
import { Person } from '../../src/org/person.entity';
import { Unit } from '../../src/org/unit.entity';
import { OutboxMessage } from '../../src/outbox/outbox-message.entity';
import { Reminder } from '../../src/reminders/reminder.entity';
import { openPage, PHONE, pickOption, shot } from '../support/browser';
import { eventually } from '../support/eventually';

/**
 * Issue 16 (part 4, time): the strip at the top of /演示 — the demo clock, 倍速, +1小时 / +1天 / 到下一条提醒 and the
 * timeline of planned reminders. The demo as `npm run demo` starts it (fakes on free ports, a temporary SQLite file);
 * an item of the 发改委 (a DingTalk unit) falls due today at 18:00, the visitor presses 到下一条提醒 and +1天, and the
 * 13710 ladder (R1, R4, R10) arrives in the unit's group and at the 督查室 / owner one to one — every message at a
 * simulated time outside 22:00–08:00, stamped with the demo clock, not the wall clock.
 */

jest.setTimeout(300_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** The hour (0–23) of an ISO time written in Beijing time (+08:00), as SimMessage.at and the endpoints give it. */
const hourOf = (iso: string) => Number(iso.slice(11, 13));
const inQuiet = (iso: string) => hourOf(iso) >= 22 || hourOf(iso) < 8;
const shanghaiIso = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 19) + '+08:00';

let demo: RunningDemo;
let browser: Browser;
let desk: Page;
let number: string;
let start: Date;

interface SimMessageLike {
  at: string;
  from: 'bot' | 'person';
  body: Record<string, unknown>;
}

beforeAll(async () => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  ({ demo, browser } = await startDemoAndBrowser('sim-time'));
  // A known start whatever the day the test runs: the next Monday, 09:00 Beijing time (the demo clock only goes forward),
  // so the days the ladder runs over are working days.
  const now = demo.clock.now().getTime();
  let at = Math.floor((now + 8 * HOUR) / DAY) * DAY - 8 * HOUR + 9 * HOUR;
  while (at <= now + HOUR || new Date(at + 8 * HOUR).getUTCDay() !== 1) at += DAY;
  demo.clock.advance(at - now);
  start = new Date(at);

  // 王督查 registers an item for the 发改委 due today (18:00) and hands it over, through the service's API.
  const db = demo.app.get(DataSource);
  const person = (name: string) => db.getRepository(Person).findOneByOrFail({ name });
  const owner = await person('王督查');
  const { token } = await demo.app.get(TokenService).issue(owner.id, 'simulator time test');
  const call = async (path: string, body: object) => {
    const r = await fetch(`${demo.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await r.json()) as Record<string, unknown>;
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  const registered = await call('/api/items', {
    title: '限时完成燃气管道隐患排查',
    content: '按市安委会要求，今日下班前报送燃气管道隐患排查结果。',
    source: 'meeting',
    leaderId: (await person('赵副市长')).id,
    leadUnitId: (await db.getRepository(Unit).findOneByOrFail({ code: 'FGW' })).id,
    deadlineDate: shanghaiIso(start).slice(0, 10),
  });
  number = registered.number as string;
  await call(`/api/items/${number}/assign`, {});

  desk = await openSimulator(browser, demo);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  jest.restoreAllMocks();
});

/**
 * The tick has caught up with the clock: the item is planned beyond now (planning ran after the jump), nothing due is
 * left unsent, and the outbox has delivered what is due — so the fakes (and the panes) have every message of the moment.
 */
async function caughtUp(): Promise<void> {
  const db = demo.app.get(DataSource);
  await eventually(
    async () => {
      const now = demo.clock.now();
      const item = await db.getRepository(Item).findOneByOrFail({ number });
      if (!item.remindersPlannedUntil || item.remindersPlannedUntil.getTime() < now.getTime() + HOUR) return false;
      const due = await db.getRepository(Reminder).countBy({ status: 'pending', dueAt: LessThanOrEqual(now) });
      const unsent = await db.getRepository(OutboxMessage).countBy({ status: 'pending', dueAt: LessThanOrEqual(now) });
      return due === 0 && unsent === 0;
    },
    120_000,
    'the reminders due at the demo clock sent and delivered',
  );
}

async function chatLog(chatId: string): Promise<SimMessageLike[]> {
  const r = await desk.request.get(`${demo.url}/api/demo/sim/chats/${encodeURIComponent(chatId)}/messages`);
  return ((await r.json()) as { messages: SimMessageLike[] }).messages;
}

it('the strip shows the demo time and whom the next reminders are for; 到下一条提醒 and +1天 bring the ladder into the right panes, never at night', async () => {
  const strip = desk.getByRole('group', { name: '演示时间' });
  await strip.getByText('演示时间').waitFor();
  // The item's reminders are planned (the tick stores the next hours) and shown with whom they are for.
  await strip.locator(`[data-reminder="${number}"]`).first().waitFor();
  const planned = (await (await desk.request.get(`${demo.url}/api/demo/sim/reminders?limit=50`)).json()) as {
    upcoming: { number: string; audience: string; to: string; at: string; panes: { chatId: string; title: string }[] }[];
  };
  const toUnit = planned.upcoming.find((r) => r.number === number && r.audience === 'unit')!;
  expect(toUnit.to).toBe('承办单位 市发展改革委');
  expect(toUnit.panes).toEqual([{ chatId: 'dingtalk:group:cidFGW0000000000000000001', title: '发改委督办群', platform: 'dingtalk' }]);
  await strip.scrollIntoViewIfNeeded();
  await shot(desk, 'simulator-time-strip');

  // 到下一条提醒, three times: each lands on a planned reminder's send time, never in the night.
  const landed: { from: string; to: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const from = shanghaiIso(demo.clock.now());
    await strip.getByRole('button', { name: '到下一条提醒' }).click();
    await desk
      .getByText(/演示时钟已拨到/)
      .last()
      .waitFor();
    await caughtUp();
    landed.push({ from, to: shanghaiIso(demo.clock.now()) });
  }
  console.log(`到下一条提醒: ${landed.map((l) => `${l.from.slice(5, 16)} → ${l.to.slice(5, 16)}`).join('; ')}`);
  for (const l of landed) expect({ ...l, quiet: inQuiet(l.to) }).toEqual({ ...l, quiet: false });
  // Due at 18:00, overdue in the evening: the next reminder after 21:00 is held to the working morning (R10), so one
  // of the jumps went over a night and landed at 08:00 or later on the next day.
  expect(landed.some((l) => l.to.slice(0, 10) > l.from.slice(0, 10))).toBe(true);

  // +1天 twice: the item is two and a half days overdue; the urges and the escalation arrive as of each jump.
  for (let i = 0; i < 2; i++) {
    const before = demo.clock.now().getTime();
    await strip.getByRole('button', { name: '+1天' }).click();
    await eventually(() => demo.clock.now().getTime() >= before + DAY, 30_000, 'the demo clock a day on');
    await caughtUp();
  }

  // The unit's group: the urges of the ladder, each stamped with the demo clock (days after the start, not today).
  const unitGroup = (await chatLog('dingtalk:group:cidFGW0000000000000000001')).filter((m) => m.from === 'bot' && JSON.stringify(m.body).includes(number));
  expect(unitGroup.length).toBeGreaterThanOrEqual(3);
  expect(unitGroup.at(-1)!.at.slice(0, 10) > shanghaiIso(new Date(start.getTime() + DAY)).slice(0, 10)).toBe(true);
  // What went to others than the unit (the owner office, the 督查室 — one to one) arrived in their panes.
  const db = demo.app.get(DataSource);
  const item = await db.getRepository(Item).findOneByOrFail({ number });
  const others = await db.getRepository(Reminder).find({ where: { itemId: item.id, status: 'sent' } });
  const notUnit = others.filter((r) => r.audience !== 'unit');
  expect(notUnit.length).toBeGreaterThan(0);
  const wang = desk.locator('section[aria-label^="王督查（"]').filter({ hasText: number });
  await wang.first().waitFor();

  // No message of the bot in any chat at a simulated time between 22:00 and 08:00.
  const chats = (await (await desk.request.get(`${demo.url}/api/demo/sim/chats`)).json()) as { id: string }[];
  const atNight: string[] = [];
  for (const c of chats) for (const m of await chatLog(c.id)) if (m.from === 'bot' && inQuiet(m.at)) atNight.push(`${c.id} ${m.at}`);
  expect(atNight).toEqual([]);

  // The strip: what was sent last is shown as 已发出, at the time it went out (the strip asks every few seconds).
  const last = (await db.getRepository(Reminder).find({ where: { status: 'sent' }, order: { sentAt: 'DESC' }, take: 1 }))[0];
  const lastAt = new Date(last.sentAt!.getTime() + 8 * HOUR);
  const label = `${lastAt.getUTCMonth() + 1}月${lastAt.getUTCDate()}日 ${shanghaiIso(last.sentAt!).slice(11, 16)}`;
  await strip.locator('li', { hasText: '已发出' }).filter({ hasText: label }).first().waitFor();
  await desk.evaluate('window.scrollTo(0, 0)');
  await shot(desk, 'simulator-time-ladder');
});

it('倍速: at 60 the demo clock runs an hour a minute, and the strip shows it ticking', async () => {
  const strip = desk.getByRole('group', { name: '演示时间' });
  await pickOption(desk, strip.getByLabel('倍速'), '60倍（1分钟=1小时）');
  await eventually(() => demo.clock.state().speed === 60, 30_000, 'the demo clock at 60');
  const shown = strip.getByTestId('demo-now');
  const first = await shown.innerText();
  // A simulated minute passes every real second: the minute shown changes without anybody pressing anything.
  await eventually(async () => (await shown.innerText()) !== first, 30_000, 'the demo time shown moving on');
  await desk.evaluate('window.scrollTo(0, 0)');
  await shot(desk, 'simulator-time-speed');
});

it('on a phone the strip sits above the chat list, its timeline scrolling sideways', async () => {
  demo.clock.setSpeed(1); // the test before left it at 60×: nothing here needs the clock to run
  const phone = await openPage(browser, PHONE);
  phone.setDefaultTimeout(90_000);
  await phone.goto(await demo.signInLink());
  await phone.waitForURL((u) => decodeURIComponent(u.pathname) === '/演示');
  const strip = phone.getByRole('group', { name: '演示时间' });
  await strip.getByRole('button', { name: '到下一条提醒' }).waitFor();
  await phone.getByRole('button', { name: '打开发改委督办群（钉钉）' }).waitFor();
  await shot(phone, 'simulator-time-phone');
  await phone.context().close();
});
