import { Result } from 'antd';

/** 死信: a placeholder until its page lands (issue 15). */
export default function DeadLettersPage() {
  return <Result status="info" title="死信" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
