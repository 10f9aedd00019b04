import { Tag } from 'antd';
import type { Light } from './api';

/** B3: the traffic lights as coloured tags with the words, so they read without colour too. */
export const LIGHTS: Record<Light, { word: string; color: string; meaning: string }> = {
  red: { word: '红', color: 'red', meaning: '承办单位逾期未反馈' },
  yellow: { word: '黄', color: 'gold', meaning: '24小时内到期，或已过期限尚未交办' },
  green: { word: '绿', color: 'green', meaning: '正常' },
  done: { word: '已办结', color: 'default', meaning: '已办结或已归档' },
};

export function LightTag({ light }: { light: Light }) {
  const l = LIGHTS[light];
  return (
    <Tag color={l.color} title={l.meaning} style={{ marginInlineEnd: 0 }}>
      {l.word}
    </Tag>
  );
}

/** The figure's colour in the counts. */
export const LIGHT_COLOURS: Record<Light, string | undefined> = { red: '#cf1322', yellow: '#d48806', green: '#389e0d', done: undefined };
