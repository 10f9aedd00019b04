import { useState } from 'react';
import { Alert, Modal, Select, Typography } from 'antd';
import { api, messageOf } from '../../api';
import type { ScoreTable } from './model';

/** 季度结算: the units none of whose time nodes needed urging in the quarter get their points, once. */
export default function QuarterClose({
  open,
  year,
  table,
  onClose,
  onDone,
}: {
  open: boolean;
  year: number;
  table: ScoreTable | null;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const [quarter, setQuarter] = useState<number>(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const points = table?.lines.S3.perQuarter ?? 5;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ assessed: number; awarded: number }>(`/api/scores/quarters/${year}/${quarter}/close`, { method: 'POST' });
      onDone(
        r.awarded
          ? `${year}年${'一二三四'[quarter - 1]}季度已结算：${r.assessed} 个单位有时限节点，本次为 ${r.awarded} 个单位各加 ${points} 分。`
          : `${year}年${'一二三四'[quarter - 1]}季度已结算：${r.assessed} 个单位有时限节点，本次没有新增加分（已加过的不再重复）。`,
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title="季度结算"
      okText="确认结算"
      cancelText="取消"
      onOk={run}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ disabled: busy }}
    >
      <Typography.Paragraph>
        结算后，本季度有时限节点、且所有时限节点都没有被催办（含提醒催办、领导督办、重点督办和督查室手工催办）的单位，各加 {points} 分。
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">季度结束后再结算。同一季度可以再次结算，已加过分的单位不会重复加分。</Typography.Paragraph>
      <Select
        aria-label="季度"
        value={quarter}
        onChange={setQuarter}
        style={{ width: 200 }}
        options={[1, 2, 3, 4].map((q) => ({ value: q, label: `${year}年${'一二三四'[q - 1]}季度` }))}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
    </Modal>
  );
}
