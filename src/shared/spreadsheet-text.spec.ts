import { safeCell, safeCellText } from './spreadsheet-text';

describe('text written into spreadsheets (issue 11, defect 14: formula injection)', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+86 138', "'+86 138"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['推进=改革', '推进=改革'],
    ['＝全角', '＝全角'],
    ['', ''],
  ])('%j → %j', (input, out) => expect(safeCellText(input)).toBe(out));

  it('leaves numbers, dates and blanks alone', () => {
    const d = new Date();
    expect([safeCell(-5), safeCell(d), safeCell(null), safeCell(undefined)]).toEqual([-5, d, null, undefined]);
  });
});
