import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { FIELD_LABELS, valueLabel } from './validation';

/**
 * Issue 14: a 400 names every field by its Chinese name and lists the choices of an enum by their Chinese labels
 * (「来源」须为以下之一：会议议定事项、领导批示…), never by the program's codes. Checked here over every DTO the API
 * validates, from class-validator's own metadata, so a new field or a new choice without a Chinese word fails.
 */
const DTO_MODULES = [
  '../cases/dto/item.dto',
  '../cases/ledger.controller',
  '../org/dto/org.dto',
  '../accountability/accountability.controller',
  '../scoring/scoring.controller',
  '../bulletins/bulletin.controller',
  '../calendar/calendar.controller',
  '../reminders/reminders.controller',
  '../demo/demo-clock.controller',
  '../demo/simulator.controller',
];

interface Meta {
  target: { name: string };
  propertyName: string;
  name?: string;
  constraints?: unknown[];
}

function allMetadata(): Meta[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const m of DTO_MODULES) require(m);
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, Meta[]> };
  return [...storage.validationMetadatas.values()].flat();
}

describe('validation messages in Chinese (issue 14)', () => {
  const metas = allMetadata();

  it('reads the DTOs (the check below is not empty)', () => {
    expect(metas.length).toBeGreaterThan(50);
  });

  it('every validated field has a Chinese name', () => {
    const missing = [...new Set(metas.map((m) => m.propertyName))].filter((p) => !FIELD_LABELS[p]).sort();
    expect(missing).toEqual([]);
  });

  it('every choice of an enum field has a Chinese label', () => {
    const missing: string[] = [];
    for (const m of metas) {
      if (m.name !== 'isIn') continue;
      const values = (m.constraints?.[0] ?? []) as unknown[];
      for (const v of values) {
        const label = valueLabel(m.propertyName, String(v));
        if (!/[\u4e00-\u9fff]/.test(label)) missing.push(`${m.target.name}.${m.propertyName}=${String(v)}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names the same code by the field it belongs to (来源 重大改革事项, 板块 重大改革)', () => {
    expect(valueLabel('source', 'reform')).toBe('重大改革事项');
    expect(valueLabel('board', 'reform')).toBe('重大改革');
    expect(valueLabel('rating', 'pass')).toBe('合格');
  });
});
