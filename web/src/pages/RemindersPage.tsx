import { Result } from 'antd';

/** 提醒策略: a placeholder until its page lands (issue 15). */
export default function RemindersPage() {
  return <Result status="info" title="提醒策略" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
