/**
 * R5 — the office's own hand (issue 13 §6): manual 催办 (000 §8.3, 001 §13) and 重点督办 set or cleared by the 督查室
 * (001 §14, 003 二(三)). On the real 2026 calendar: 2026-03-06 is a Friday, 03-07/08 the weekend; 05-01…05-05 劳动节.
 */
import { WorkCalendar } from '../calendar/work-calendar';
import { chineseDaysSource } from '../calendar/chinese-days.source';
import {
  checkKeySupervisionChange,
  checkUrging,
  keySupervisionNotice,
  keySupervisionSummary,
  parseUrgeMethod,
  URGE_METHODS,
  urgingNotice,
  urgingSummary,
} from './urging.rules';

const cal = new WorkCalendar(chineseDaysSource(), []);
const at = (s: string) => new Date(`${s}+08:00`);
const NOW = at('2026-03-04T10:00:00'); // Wednesday
const ctx = { now: NOW, calendar: cal, dayEnd: '18:00' };

describe('R5 manual 催办: the five ways of 000 §8.3 and 001 §13', () => {
  it('R5 — 电话、面商、现场督办、函询、约谈、限期整改: each method has its Chinese name, and either the name or the code is understood', () => {
    expect(Object.values(URGE_METHODS)).toEqual(['电话催办', '现场督办', '函询', '约谈', '限期整改']);
    expect(['phone', '电话催办', ' 函询 ', '限期整改', 'rectify', '打电话'].map(parseUrgeMethod)).toEqual([
      'phone',
      'phone',
      'letter',
      'rectify',
      'rectify',
      null,
    ]);
  });

  it('R5 — 电话询问应做好详细电话记录备查: a phone urging needs whom was called and what they said', () => {
    expect(checkUrging({ method: 'phone', record: '对方表示本周五前报送', contact: '' }, ctx)).toMatchObject({
      field: 'contact',
      message: expect.stringContaining('致电对象'),
    });
    expect(checkUrging({ method: 'phone', record: ' ', contact: '市发改委办公室张主任' }, ctx)).toMatchObject({
      field: 'record',
      message: expect.stringContaining('通话'),
    });
    expect(checkUrging({ method: 'phone', record: '对方表示本周五前报送', contact: '市发改委办公室张主任' }, ctx)).toEqual({ limit: null });
  });

  it('R5 — 约谈: says who was talked to; 现场督办 and 函询 need a record only', () => {
    expect(checkUrging({ method: 'interview', record: '约谈分管副主任', contact: '' }, ctx)).toMatchObject({ field: 'contact' });
    expect(checkUrging({ method: 'on_site', record: '到现场查看施工进度' }, ctx)).toEqual({ limit: null });
    expect(checkUrging({ method: 'letter', record: '请书面说明逾期原因' }, ctx)).toEqual({ limit: null });
  });

  it('R5 — 限期整改: a date means the end of that working day; a day off moves to the next working day (C3)', () => {
    expect(checkUrging({ method: 'rectify', record: '补齐台账', newLimit: '2026-03-06' }, ctx)).toEqual({ limit: at('2026-03-06T18:00:00') });
    // Saturday 03-07 → Monday 03-09 18:00; 劳动节 05-02 → Wednesday 05-06 18:00.
    expect(checkUrging({ method: 'rectify', record: '补齐台账', newLimit: '2026-03-07' }, ctx)).toEqual({ limit: at('2026-03-09T18:00:00') });
    expect(checkUrging({ method: 'rectify', record: '补齐台账', newLimit: '2026-05-02' }, ctx)).toEqual({ limit: at('2026-05-06T18:00:00') });
    expect(checkUrging({ method: 'rectify', record: '补齐台账', newLimit: '2026-03-05T12:00:00+08:00' }, ctx)).toEqual({ limit: at('2026-03-05T12:00:00') });
  });

  it('R5 — 限期整改: no limit, a past limit, a time on a day off, or a limit on another method is refused, saying what to send', () => {
    expect(checkUrging({ method: 'rectify', record: '补齐台账' }, ctx)).toMatchObject({ field: 'newLimit', message: expect.stringContaining('2026-') });
    expect(checkUrging({ method: 'rectify', record: '补齐台账', newLimit: '2026-03-04T09:00:00+08:00' }, ctx)).toMatchObject({
      field: 'newLimit',
      message: expect.stringContaining('已过'),
    });
    expect(checkUrging({ method: 'rectify', record: '补齐台账', newLimit: '2026-03-07T12:00:00+08:00' }, ctx)).toMatchObject({
      field: 'newLimit',
      message: '整改期限 2026-03-07 12:00 是休息日，请改在工作日，如 2026-03-09。',
    });
    expect(checkUrging({ method: 'phone', record: '已催', contact: '张主任', newLimit: '2026-03-06' }, ctx)).toMatchObject({
      field: 'newLimit',
      message: '只有限期整改需要填写整改期限，电话催办请不要填写。',
    });
    expect(checkUrging({ method: 'rectify', record: '补齐台账', newLimit: '三天内' }, ctx)).toMatchObject({ field: 'newLimit' });
  });

  it('C6: the timeline line says in plain Chinese what was done, with the record in full', () => {
    const prev = at('2026-03-03T18:00:00');
    expect(urgingSummary({ method: 'phone', record: '对方表示周五前报送', contact: '市发改委张主任', limit: null, previousDeadline: prev })).toBe(
      '电话催办：致电市发改委张主任，通话记录：对方表示周五前报送',
    );
    expect(urgingSummary({ method: 'on_site', record: '工地已停工', contact: null, limit: null, previousDeadline: prev })).toBe('现场督办：工地已停工');
    expect(urgingSummary({ method: 'letter', record: '请说明逾期原因', contact: null, limit: null, previousDeadline: prev })).toBe('函询：请说明逾期原因');
    expect(urgingSummary({ method: 'interview', record: '要求三日内拿出方案', contact: '分管副主任李某', limit: null, previousDeadline: prev })).toBe(
      '约谈分管副主任李某：要求三日内拿出方案',
    );
    expect(urgingSummary({ method: 'rectify', record: '补齐台账', contact: null, limit: at('2026-03-06T18:00:00'), previousDeadline: prev })).toBe(
      '限期整改：补齐台账。限 2026-03-06 18:00 前整改到位（原期限 2026-03-03 18:00），此后按新期限提醒和计算逾期',
    );
    for (const s of [urgingSummary({ method: 'letter', record: 'x', contact: null, limit: null, previousDeadline: prev })]) expect(s).not.toMatch(/[A-Z]\d+：/);
  });

  it('R5 — 函询/限期整改 reach the lead unit with what to do and by when; phone, on-site and 约谈 send nothing', () => {
    const head = 'DB2026-0001「整治积水点」';
    const base = { head, by: '督查室', deadlineAt: at('2026-03-10T18:00:00'), now: NOW, contact: null };
    expect(urgingNotice({ ...base, method: 'letter', record: '请说明逾期原因', limit: null })).toEqual({
      title: '函询',
      text: '【函询】DB2026-0001「整治积水点」\n督查室函询：请说明逾期原因\n请于 2026-03-10 18:00 前书面答复，并在督办系统中反馈办理情况。',
    });
    expect(urgingNotice({ ...base, deadlineAt: at('2026-03-03T18:00:00'), method: 'letter', record: '请说明逾期原因', limit: null })?.text).toContain(
      '本事项已过办理期限，请立即书面答复',
    );
    expect(urgingNotice({ ...base, method: 'rectify', record: '补齐台账', limit: at('2026-03-06T18:00:00') })).toEqual({
      title: '限期整改',
      text: '【限期整改】DB2026-0001「整治积水点」\n督查室要求限期整改：补齐台账\n请于 2026-03-06 18:00 前整改到位，并在督办系统中反馈整改情况；逾期未反馈的，将继续催办并按规定处理。',
    });
    for (const method of ['phone', 'on_site', 'interview'] as const) expect(urgingNotice({ ...base, method, record: 'x', limit: null })).toBeNull();
  });
});

describe('R5 重点督办 by hand (001 §14, 003 二(三)) and by rule', () => {
  it('R5 — 按…分管领导以上负责人要求进行重点督办: set with a reason and whose request; cleared with a reason; a reason is required', () => {
    expect(checkKeySupervisionChange({ on: true, current: false, reason: '群众反映强烈', number: 'DB2026-0001' })).toBeNull();
    expect(checkKeySupervisionChange({ on: true, current: false, reason: ' ', number: 'DB2026-0001' })).toMatchObject({ field: 'reason', kind: 'invalid' });
    expect(checkKeySupervisionChange({ on: true, current: true, reason: '再次列入', number: 'DB2026-0001' })).toMatchObject({
      kind: 'conflict',
      message: '事项 DB2026-0001 已在重点督办中，无需重复列入；如需调整，请先取消。',
    });
    expect(checkKeySupervisionChange({ on: false, current: false, reason: '已整改', number: 'DB2026-0001' })).toMatchObject({
      kind: 'conflict',
      message: '事项 DB2026-0001 不在重点督办中，无需取消。',
    });
  });

  it('C6: the timeline says who asked and why; the automatic entry says it without a rule id', () => {
    expect(keySupervisionSummary({ on: true, origin: 'office', reason: '经催办仍进展缓慢', requestedBy: '市政府分管副秘书长' })).toBe(
      '列为重点督办：经催办仍进展缓慢（按市政府分管副秘书长要求）',
    );
    expect(keySupervisionSummary({ on: true, origin: 'office', reason: '经催办仍进展缓慢', requestedBy: null })).toBe('列为重点督办：经催办仍进展缓慢');
    expect(keySupervisionSummary({ on: false, origin: 'office', reason: '已整改到位', requestedBy: null })).toBe(
      '取消重点督办：已整改到位（已扣减的积分不退还）',
    );
    expect(keySupervisionSummary({ on: true, origin: 'R5', reason: null, requestedBy: null })).toBe(
      '逾期已满3天，转入重点督办（督查室跟踪督办，列入下期通报）',
    );
  });

  it('R5 — the unit is told its item entered 重点督办, why, and by when to report', () => {
    const head = 'DB2026-0001「整治积水点」';
    expect(
      keySupervisionNotice({
        head,
        origin: 'office',
        reason: '经催办仍进展缓慢',
        requestedBy: '市政府分管副秘书长',
        deadlineAt: at('2026-03-10T18:00:00'),
        now: NOW,
      }),
    ).toEqual({
      title: '重点督办',
      text: '【重点督办】DB2026-0001「整治积水点」\n已列为重点督办事项：经催办仍进展缓慢（按市政府分管副秘书长要求）。\n督查室将跟踪督办，并列入通报。请单位主要负责同志亲自过问，于 2026-03-10 18:00 前反馈办理情况。',
    });
    expect(keySupervisionNotice({ head, origin: 'R5', reason: null, requestedBy: null, deadlineAt: at('2026-03-01T18:00:00'), now: NOW }).text).toBe(
      '【重点督办】DB2026-0001「整治积水点」\n逾期已满3天仍未反馈，已转入重点督办。\n督查室将跟踪督办，并列入通报。请单位主要负责同志亲自过问，立即反馈办理情况。',
    );
  });
});
