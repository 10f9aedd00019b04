import { Result } from 'antd';

/** 日历: a placeholder until its page lands (issue 15). */
export default function CalendarPage() {
  return <Result status="info" title="日历" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
