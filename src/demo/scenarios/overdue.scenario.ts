import type { Reminder } from '../../reminders/reminder.entity';
import type { Scenario } from './scenario';
import type { ScenarioDriver } from './scenario-driver';

const GROUP = '教育局督办群';
const CONTACT = '钱联络';

/** Fires the item's reminders one after another until `last` is true of one (fired too); the times they went out. */
async function fireUntil(d: ScenarioDriver, number: string, last: (r: Reminder) => boolean): Promise<string[]> {
  const times: string[] = [];
  for (let i = 0; i < 40; i++) {
    const r = await d.nextReminder(number);
    if (!r) break;
    const t = d.when(r.dueAt);
    if (!times.includes(t)) times.push(t);
    if (last(r)) break;
  }
  return times;
}

/** Fires the item's reminders until the next one is `stop` (not fired). */
async function fireBefore(d: ScenarioDriver, number: string, stop: (r: Reminder) => boolean): Promise<string[]> {
  const times: string[] = [];
  for (let i = 0; i < 40; i++) {
    const next = await d.upcomingReminder(number);
    if (!next || stop(next)) break;
    await d.nextReminder(number);
    const t = d.when(next.dueAt);
    if (!times.includes(t)) times.push(t);
  }
  return times;
}

const times = (list: string[]) => (list.length ? list.join('、') : '无');

/**
 * R1, R4, R5, R10, R3 over the demo clock: an item with the 1-day node goes unanswered — 5 h before the deadline, then
 * every 3 h on the first day overdue and every 2 h on the second (nights and rest days held to the morning and merged),
 * the owner's report to the coordinating leader and a clue at 2 days, 重点督办 at 3 days; the report at last cancels
 * what was still planned. The clock jumps from one planned reminder to the next (the reminders table says when).
 */
export function overdueScenario(): Scenario {
  let number = '';
  return {
    id: 'overdue',
    title: '逾期催办：从到期提醒到重点督办',
    summary: '一件「1天」时限的事项无人反馈：演示时钟一路拨快，看到期提醒、逾期催办的节奏、夜间顺延、报请分管领导和重点督办依次发生。',
    needs: [{ title: GROUP, platform: 'wecom' }],
    steps: [
      {
        caption: `督查室王督查立项并交办一件时间节点为「1天」的事项，主办市教育局。期限是下一个工作日的18:00。请看「${GROUP}」（企业微信）。`,
        act: async (d) => {
          const moved = await d.toWorkingTime();
          number = await d.registerAndAssign('王督查', {
            title: '核查校外培训机构违规收费问题',
            content: '群众反映部分校外培训机构违规预收费，请市教育局立即核查处理并反馈结果。',
            source: 'hotline',
            leader: '赵副市长',
            lead: 'JYJ',
            deadline: { node: '1d' },
          });
          await d.waitFor(d.group(GROUP, 'wecom'), number);
          return `${moved ? `演示时间已拨到工作时间 ${moved}；` : ''}事项 ${number} 已交办。`;
        },
      },
      {
        caption: `${CONTACT}在群里点「签收」。此后直到期限，单位都没有反馈。`,
        act: async (d) => {
          const group = d.group(GROUP, 'wecom');
          await d.click(group, CONTACT, number, 'sign');
          await d.waitFor(group, number, '已签收');
          return `${number} 已签收。`;
        },
      },
      {
        caption: '演示时钟拨到截止前5小时：群里收到到期提醒，并 @ 了联络员。',
        act: async (d) => {
          const r = await d.nextReminder(number);
          await d.waitFor(d.group(GROUP, 'wecom'), number, '到期');
          return r ? `${d.when(r.dueAt)} 收到到期提醒。` : undefined;
        },
      },
      {
        caption: '到了期限仍未反馈，事项逾期。逾期第1天每3小时催办一次：期限后3小时收到第一次催办。',
        act: async (d) => {
          const r = await d.nextReminder(number);
          await d.waitFor(d.group(GROUP, 'wecom'), number, '已逾期');
          return r ? `${d.when(r.dueAt)} 收到第一次催办。` : undefined;
        },
      },
      {
        caption: '夜里不打扰：22:00到次日8:00之间该发的催办（包括「逾期5小时」那一条）不在夜里发出，顺延到早上8:00，合并成一条。',
        act: async (d) => {
          const r = await d.nextReminder(number);
          await d.waitFor(d.group(GROUP, 'wecom'), number, '已逾期');
          return r ? `夜间的催办在 ${d.when(r.dueAt)} 合并为一条发出。` : undefined;
        },
      },
      {
        caption: '逾期第1天的白天，继续每3小时催办一次，直到逾期满1天。',
        act: async (d) => `催办时间：${times(await fireUntil(d, number, (r) => r.kind === 'after_deadline'))}。`,
      },
      {
        caption: '逾期第2天，改为每2小时催办一次；夜间和周末、节假日不发，顺延到下一个工作日早上8:00。',
        act: async (d) => `催办时间：${times(await fireBefore(d, number, (r) => r.kind === 'leader_escalation'))}。`,
      },
      {
        caption: '逾期满2天：立项主体王督查收到逾期报告，请其报请分管领导协调；督查室同时登记问题线索（线索不等于问责），单位群里的催办也写明了这一点。',
        act: async (d) => {
          await fireUntil(d, number, (r) => r.kind === 'leader_escalation');
          const where = await d.waitForAnywhere(number, '逾期报告');
          return `逾期报告已送达「${where}」。`;
        },
      },
      {
        caption: '逾期满3天：事项转入重点督办。单位群收到重点督办通知，要求主要负责同志亲自过问；督查室收到提示，这件事将列入通报。',
        act: async (d) => {
          await fireUntil(d, number, (r) => r.kind === 'key_supervision');
          await d.waitFor(d.group(GROUP, 'wecom'), number, '重点督办');
          return `${number} 已转入重点督办（${d.when(d.now())}）。`;
        },
      },
      {
        caption: `${CONTACT}终于在群里反馈办理情况。反馈一到，还没发出的催办自动取消，立项主体收到反馈通知。`,
        act: async (d) => {
          const group = d.group(GROUP, 'wecom');
          await d.say(group, CONTACT, `/反馈 ${number} 已完成核查，涉事机构已退还预收费用`);
          await d.waitFor(group, number, '反馈已记录');
          return `反馈已记录，之后的催办不再发出。`;
        },
      },
    ],
  };
}
