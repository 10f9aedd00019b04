import { In } from 'typeorm';
import { ChatGroup } from '../../org/chat-group.entity';
import { shanghaiDate } from '../../shared/shanghai-time';
import type { Scenario } from './scenario';
import type { ScenarioDriver } from './scenario-driver';

/** The month before the demo clock's (a month's 通报 is drafted once it is over), as `2026-11`. */
function lastMonth(d: ScenarioDriver): string {
  const [y, m] = shanghaiDate(d.now()).split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * B1, B2: the monthly 通报 from the draft to the groups — the 督查室 generates it from the data and submits it in the
 * console, the leader approves it on the phone (the DingTalk card), the 督查室 is told and publishes it to the
 * city-wide groups on DingTalk and WeCom.
 */
export function bulletinScenario(): Scenario {
  let number = '';
  let title = '';
  return {
    id: 'bulletin',
    title: '月度通报：从起草到推送工作群',
    summary: '督查室生成上月通报并提请审定，分管领导在钉钉上同意印发，通报推送到钉钉和企业微信的通报群。',
    needs: [
      { title: '赵副市长', platform: 'dingtalk' },
      { title: '全市督查通报群（钉钉）', platform: 'dingtalk' },
      { title: '全市督查通报群（企业微信）', platform: 'wecom' },
    ],
    steps: [
      {
        caption: '督查室王督查在控制台「通报」页生成上个月的月度通报草稿。通报里的每个数字都由系统从督办数据中统计，可随时重新核对。',
        act: async (d) => {
          const moved = await d.toWorkingTime();
          const b = await d.services.bulletins.generate({ kind: 'monthly', period: lastMonth(d) }, await d.as('王督查'));
          number = b.number;
          title = b.draft.title;
          const totals = (b.facts as { totals?: { registered?: number; closed?: number } }).totals;
          // A fresh demo database has nothing in last month: say so, rather than let zeros look like a fault.
          const empty = !totals?.registered && !totals?.closed ? '演示数据库是新建的，上个月没有督办事项，所以各项数字为0。' : '';
          return `${moved ? `演示时间已拨到工作时间 ${moved}。` : ''}已生成通报 ${number}《${title}》草稿。${empty}`;
        },
      },
      {
        caption: '王督查提请领导审定。请看赵副市长与督办助手的钉钉单聊：收到一张审定卡片，上面有本期概况、表扬和批评的数目，以及「全文」链接。',
        act: async (d) => {
          await d.services.bulletins.submit(number, await d.as('王督查'));
          await d.waitFor(d.direct('赵副市长', 'dingtalk'), number);
          return `审定卡片已送达赵副市长的钉钉。`;
        },
      },
      {
        caption: '赵副市长在手机上点「同意印发」。这一下经钉钉的真实通道回到督办系统：卡片随即变为已审定，督查室收到「已审定同意，请印发」的通知。',
        act: async (d) => {
          const leader = d.direct('赵副市长', 'dingtalk');
          await d.click(leader, '赵副市长', number, 'bulletin:approve');
          await d.waitForCard(leader, number, '已审定');
          const where = await d.waitForAnywhere(number, '审定同意');
          return `督查室的通知已送达「${where}」。`;
        },
      },
      {
        caption:
          '王督查在控制台点「印发」，选中全市督查通报群（钉钉和企业微信各一个）。请看这两个群：钉钉群收到通报摘要和图表，企业微信群收到摘要，图表随后单独发出（企业微信的 markdown 不显示图片）。',
        act: async (d) => {
          const groups = await d.services.db.getRepository(ChatGroup).findBy({ purpose: In(['broadcast']) });
          await d.services.bulletins.publish(
            number,
            groups.map((g) => g.id),
            await d.as('王督查'),
          );
          await d.waitFor(d.group('全市督查通报群（钉钉）', 'dingtalk'), title);
          await d.waitFor(d.group('全市督查通报群（企业微信）', 'wecom'), title);
          return `通报 ${number} 已推送到钉钉和企业微信的全市督查通报群。`;
        },
      },
    ],
  };
}
