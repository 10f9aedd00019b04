import { Result } from 'antd';

/** 责任追究: a placeholder until its page lands (issue 15). */
export default function CluePage() {
  return <Result status="info" title="责任追究" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
