import { Result } from 'antd';

/** 立项: a placeholder until its page lands (issue 15). */
export default function RegisterPage() {
  return <Result status="info" title="立项" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
