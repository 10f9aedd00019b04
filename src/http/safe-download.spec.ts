import { safeDownloadType } from './safe-download';

describe('the type an uploaded file is served with (issue 11, defect 14)', () => {
  it.each([
    ['报告.pdf', 'application/pdf'],
    ['照片.JPG', 'image/jpeg'],
    ['页面.html', 'application/octet-stream'],
    ['图.svg', 'application/octet-stream'],
    ['a.pdf.html', 'application/octet-stream'],
    ['无扩展名', 'application/octet-stream'],
    ['.pdf', 'application/pdf'],
  ])('%s → %s', (name, type) => expect(safeDownloadType(name)).toBe(type));
});
