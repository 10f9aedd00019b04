import { Result } from 'antd';

/** 组织: a placeholder until its page lands (issue 15). */
export default function OrgPage() {
  return <Result status="info" title="组织" subTitle="此页面正在建设中，请先使用工作台和台账。" />;
}
