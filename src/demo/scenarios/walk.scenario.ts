import type { Scenario, ScenarioStep } from './scenario';
import type { ScenarioDriver } from './scenario-driver';

interface Walk {
  platform: 'dingtalk' | 'wecom';
  name: string;
  group: string;
  unit: string;
  unitName: string;
  contact: string;
  title: string;
}

const DING: Walk = {
  platform: 'dingtalk',
  name: '钉钉',
  group: '发改委督办群',
  unit: 'FGW',
  unitName: '市发展改革委',
  contact: '陈联络',
  title: '推进政务服务“一网通办”改革',
};
const WECOM: Walk = {
  platform: 'wecom',
  name: '企业微信',
  group: '财政局督办群',
  unit: 'CZJ',
  unitName: '市财政局',
  contact: '吴联络',
  title: '清理拖欠中小企业账款',
};

/**
 * C5, F1, D1–D3 on one platform: 交办 → 签收 → 反馈 → 办结 → 评定 → 审定. On DingTalk the unit does it all on the card
 * (buttons with input boxes); WeCom's cards carry no text, so there the unit presses 签收 and types /反馈 and /办结.
 */
function walk(w: Walk, state: { number: string }): ScenarioStep[] {
  const group = (d: ScenarioDriver) => d.group(w.group, w.platform);
  const ding = w.platform === 'dingtalk';
  return [
    {
      caption: `【${w.name}】督查室王督查在控制台立项「${w.title}」，主办${w.unitName}，分管领导赵副市长，并立即交办。请看「${w.group}」：交办卡片送到了群里，卡片上的按钮只给承办单位能做的事。`,
      act: async (d) => {
        const moved = await d.toWorkingTime();
        state.number = await d.registerAndAssign('王督查', {
          title: w.title,
          content: `按市政府常务会议议定，请${w.unitName}牵头抓好落实，按期反馈办理情况。`,
          source: 'meeting',
          leader: '赵副市长',
          lead: w.unit,
          deadline: { workingDays: 10 },
        });
        await d.waitFor(group(d), state.number);
        return `${moved ? `演示时间已拨到工作时间 ${moved}；` : ''}事项 ${state.number} 已交办到「${w.group}」。`;
      },
    },
    {
      caption: `${w.contact}在群里点卡片上的「签收」。点击经${w.name}的真实通道送回督办系统：卡片随即变为「办理中」，按钮换成反馈、延期、办结。`,
      act: async (d) => {
        await d.click(group(d), w.contact, state.number, 'sign');
        await d.waitForCard(group(d), state.number, '办理中');
        return `${state.number} 已签收，办理中。`;
      },
    },
    {
      caption: ding
        ? `${w.contact}点「反馈进展」，在输入框里写上进展后提交。立项主体王督查随即在单聊里收到反馈通知。`
        : `企业微信的卡片不能填字，${w.contact}在群里 @督办助手 输入「/反馈 编号 内容」。督办助手在群里回复，立项主体王督查随即收到反馈通知。`,
      act: async (d) => {
        const content = '已完成调研和初稿，正在征求相关部门意见';
        if (ding) await d.click(group(d), w.contact, state.number, 'report', { content });
        else await d.say(group(d), w.contact, `/反馈 ${state.number} ${content}`);
        const where = await d.waitForAnywhere(state.number, content);
        return `反馈已送达「${where}」。`;
      },
    },
    {
      caption: ding
        ? `工作完成后，${w.contact}点「申请办结」并写明办理结果。王督查在单聊里收到办结审核卡片，上面列出审核要点（事实是否查清、问题是否解决……）。`
        : `工作完成后，${w.contact}输入「/办结 编号 办理结果」。王督查收到办结审核卡片，上面列出审核要点（事实是否查清、问题是否解决……）。`,
      act: async (d) => {
        const summary = '各项任务已按要求完成，相关制度已印发';
        if (ding) await d.click(group(d), w.contact, state.number, 'close', { summary });
        else await d.say(group(d), w.contact, `/办结 ${state.number} ${summary}`);
        const where = await d.waitForButton('王督查', state.number, 'rate:excellent');
        return `${state.number} 已申请办结，审核卡片已送达「${where}」。`;
      },
    },
    {
      caption: `立项主体王督查在手机上审核，点「优秀」评定办理结果（优秀、良好会给承办单位加激励积分）。事项随即提请分管领导赵副市长审定，赵副市长收到审定卡片。`,
      act: async (d) => {
        const where = await d.clickWherever('王督查', state.number, 'rate:excellent');
        const leader = await d.waitForButton('赵副市长', state.number, 'approve');
        return `王督查在「${where}」评定为优秀，审定卡片已送达「${leader}」。`;
      },
    },
    {
      caption: `赵副市长在手机上点「审定」：事项办结清零、编号销号，「${w.group}」收到办结销号的通知。`,
      act: async (d) => {
        const where = await d.clickWherever('赵副市长', state.number, 'approve');
        await d.waitFor(group(d), state.number, '销号');
        return `赵副市长在「${where}」审定，${state.number} 已办结。`;
      },
    },
  ];
}

/** The assignment walk on both platforms, one after the other. */
export function walkScenario(): Scenario {
  const ding = { number: '' };
  const wecom = { number: '' };
  return {
    id: 'walk',
    title: '交办到审定：钉钉和企业微信各走一遍',
    summary: '一件事项从交办、签收、反馈、办结，到立项主体评定、分管领导审定，先在钉钉群、再在企业微信群里走完。',
    needs: [DING, WECOM].map((w) => ({ title: w.group, platform: w.platform })),
    steps: [...walk(DING, ding), ...walk(WECOM, wecom)],
  };
}
