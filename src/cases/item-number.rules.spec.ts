/**
 * C1 事项编号 (DB2026-0042: unique, human-typable, forgiving when typed in chat) and C2 (classified items never
 * enter the system: an official 密级标志 refuses registration).
 */
import { carriesSecrecyMark, formatItemNumber, normalizeItemNumber } from './item-number.rules';

describe('C1: formatItemNumber', () => {
  it('C1: pads the sequence to 4 digits', () => {
    expect([1, 42, 999, 9999].map((n) => formatItemNumber('DB', 2026, n))).toEqual(['DB2026-0001', 'DB2026-0042', 'DB2026-0999', 'DB2026-9999']);
  });
  it('C1: grows beyond 9999 instead of truncating', () => {
    expect(formatItemNumber('DB', 2026, 10000)).toBe('DB2026-10000');
    expect(formatItemNumber('DB', 2027, 123456)).toBe('DB2027-123456');
  });
  it('C1: uses the configured prefix', () => {
    expect(formatItemNumber('SZ', 2025, 7)).toBe('SZ2025-0007');
  });
});

describe('C1: normalizeItemNumber (what people type in chat)', () => {
  const n = (s: string, prefix = 'DB') => normalizeItemNumber(s, prefix);

  it('C1: forgives case and a short sequence', () => {
    expect(n('db2026-42')).toBe('DB2026-0042');
    expect(n('Db2026-0042')).toBe('DB2026-0042');
    expect(n('DB2026-0042')).toBe('DB2026-0042');
  });

  it('C1: accepts full-width characters (Chinese IME)', () => {
    expect(n('ＤＢ２０２６－００４２')).toBe('DB2026-0042');
    expect(n('ｄｂ２０２６—４２')).toBe('DB2026-0042');
  });

  it('C1: accepts spaces, an ideographic space, or no hyphen at all', () => {
    expect(n('DB 2026 0042')).toBe('DB2026-0042');
    expect(n('DB2026\u30000042')).toBe('DB2026-0042');
    expect(n('  DB\u30002026 - 42 ')).toBe('DB2026-0042');
    expect(n('DB20260042')).toBe('DB2026-0042');
    expect(n('DB2026_42')).toBe('DB2026-0042');
  });

  it('C1: a number typed without prefix takes the configured one', () => {
    expect(n('2026-0042')).toBe('DB2026-0042');
    expect(n('2026-42')).toBe('DB2026-0042');
    expect(n('2025-7', 'SZ')).toBe('SZ2025-0007');
  });

  it('C1: keeps sequences beyond 9999', () => {
    expect(n('db2026-12345')).toBe('DB2026-12345');
  });

  it('C1: rejects another prefix', () => {
    expect(n('XX2026-0042')).toBeNull();
    expect(n('DB2026-0042', 'SZ')).toBeNull();
    expect(n('D2026-0042')).toBeNull();
  });

  it('C1: rejects sequence 0', () => {
    expect(n('DB2026-0000')).toBeNull();
    expect(n('2026-0')).toBeNull();
  });

  it('C1: rejects garbage', () => {
    const bad = ['', '   ', 'hello', 'DB', 'DB2026', 'DB2026-', 'DB26-0042', 'DB2026-1234567', 'DB2026-00A2', '督办2026-0042', 'DB2026-0042x', '-0042'];
    expect(bad.map((s) => n(s))).toEqual(bad.map(() => null));
  });
});

describe('C2: carriesSecrecyMark (密级标志)', () => {
  it('C2: official markings are recognised', () => {
    const marked = ['机密★', '秘密★一年', '绝密☆', '绝密★长期', '机密 ★10年', '关于某事项的通知（秘密★6个月）', '机密\u3000★'];
    expect(marked.map((t) => carriesSecrecyMark(t))).toEqual(marked.map(() => true));
  });

  it('C2: ordinary text that merely mentions 秘密 or 机密 is not a marking', () => {
    const plain = ['关于加强保守国家秘密工作的通知', '秘密', '机密文件管理制度修订', '商业秘密保护专项督查', '★重点督办', '内部资料 注意保存', ''];
    expect(plain.map((t) => carriesSecrecyMark(t))).toEqual(plain.map(() => false));
  });

  it('C2: any of several texts (title, content) may carry the mark; missing texts are skipped', () => {
    expect(carriesSecrecyMark('城区道路改造', undefined, '附件：机密★')).toBe(true);
    expect(carriesSecrecyMark('城区道路改造', undefined, '按期完成')).toBe(false);
    expect(carriesSecrecyMark()).toBe(false);
    expect(carriesSecrecyMark(undefined)).toBe(false);
  });
});
