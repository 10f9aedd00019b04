import { Result } from 'antd';

/** 设置: a placeholder until its page lands (issue 15). */
export default function SettingsPage() {
  return <Result status="info" title="设置" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
