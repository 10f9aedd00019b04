import { Result } from 'antd';

/** 挂图作战: a placeholder until its page lands (issue 15). */
export default function WallPage() {
  return <Result status="info" title="挂图作战" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
