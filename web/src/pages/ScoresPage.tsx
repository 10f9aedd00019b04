import { Result } from 'antd';

/** 积分: a placeholder until its page lands (issue 15). */
export default function ScoresPage() {
  return <Result status="info" title="积分" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
