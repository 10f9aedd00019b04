import { Result } from 'antd';

/** 通报: a placeholder until its page lands (issue 15). */
export default function BulletinPage() {
  return <Result status="info" title="通报" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
