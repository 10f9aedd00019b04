import { Workbook } from 'exceljs';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { Unit } from '../../src/org/unit.entity';
import { ADMIN_TOKEN, startTestApp, TestApp } from '../support/test-app';

/** A zip written by hand: each entry's raw-deflated bytes, CRC and (possibly false) declared size. */
interface RawEntry {
  name: string;
  data: Buffer;
  crc: number;
  size: number;
}
function zip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const loc = Buffer.alloc(30);
    loc.writeUInt32LE(0x04034b50, 0);
    loc.writeUInt16LE(20, 4);
    loc.writeUInt16LE(8, 8);
    loc.writeUInt32LE(e.crc >>> 0, 14);
    loc.writeUInt32LE(e.data.length, 18);
    loc.writeUInt32LE(e.size, 22);
    loc.writeUInt16LE(name.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(e.crc >>> 0, 16);
    cen.writeUInt32LE(e.data.length, 20);
    cen.writeUInt32LE(e.size, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE(offset, 42);
    locals.push(loc, name, e.data);
    centrals.push(cen, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const small = (name: string, text: string): RawEntry => {
  const raw = Buffer.from(text);
  return { name, data: deflateRawSync(raw), crc: crc32(raw), size: raw.length };
};

/**
 * An .xlsx whose 人员 sheet inflates to `mb` megabytes of rows: one megabyte of rows deflated once with a full flush
 * (byte-aligned, no back references), its bytes repeated — so the test builds a 400 MB bomb in a few milliseconds.
 */
function bomb(mb: number, declare?: number): Buffer {
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  );
  const row = '<row><c t="inlineStr"><is><t>张三</t></is></c><c><v>13800000000</v></c></row>';
  const chunk = Buffer.from(row.repeat(Math.floor((1024 * 1024) / Buffer.byteLength(row))));
  const tail = Buffer.from('</sheetData></worksheet>');
  const full = { finishFlush: constants.Z_FULL_FLUSH };
  const chunkZ = deflateRawSync(chunk, full);
  const data = Buffer.concat([deflateRawSync(head, full), ...Array.from({ length: mb }, () => chunkZ), deflateRawSync(tail)]);
  let crc = crc32(head);
  for (let i = 0; i < mb; i++) crc = crc32(chunk, crc);
  crc = crc32(tail, crc);
  const size = head.length + chunk.length * mb + tail.length;
  const sheetName = (n: number, name: string) => `<sheet name="${name}" sheetId="${n}" r:id="rId${n}"/>`;
  return zip([
    small(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    small(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    small(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheetName(1, '人员')}</sheets></workbook>`,
    ),
    small(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    { name: 'xl/worksheets/sheet1.xml', data, crc, size: declare ?? size },
  ]);
}

/** Issue 11 (defect 7): an .xlsx that inflates to hundreds of megabytes is refused before it is inflated; the service lives on. */
describe('a zip bomb through the directory import (defect 7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const upload = (buf: Buffer) =>
    t
      .http()
      .post('/api/import')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .attach('file', buf, { filename: '通讯录.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });

  it('a small .xlsx that inflates to 400 MB: 413 with the limit and what to do, nothing imported, /health still answers', async () => {
    const file = bomb(400);
    expect(file.length).toBeLessThan(2 * 1024 * 1024);
    const r = await upload(file);
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('IMPORT.TOO_LARGE');
    expect(r.body.message).toMatch(/解压后.*MB.*请用导入模板重新填写/);
    expect(await t.db.getRepository(Unit).count()).toBe(0);
    await t.http().get('/health').expect(200);
  });

  it('the same bomb declaring a small size (the archive lies): refused as well, inflation stops at the declared size', async () => {
    const r = await upload(bomb(400, 64 * 1024));
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('IMPORT.TOO_LARGE');
    await t.http().get('/health').expect(200);
  });

  it('a sheet of more rows than the import reads: 413 naming the sheet and the limit', async () => {
    const wb = new Workbook();
    wb.addWorksheet('单位').addRows([
      ['编码', '名称'],
      ['FGW', '市发展改革委'],
    ]);
    const people = wb.addWorksheet('人员');
    people.addRow(['姓名', '手机', '单位编码', '角色', '钉钉用户ID', '企业微信用户ID']);
    people.getCell('A20002').value = '最后一行';
    const r = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.status).toBe(413);
    expect(r.body.message).toContain('工作表「人员」有 20002 行');
    expect(r.body.message).toContain('分批导入');
  });

  it('a real workbook still imports', async () => {
    const wb = new Workbook();
    wb.addWorksheet('单位').addRows([
      ['编码', '名称'],
      ['FGW', '市发展改革委'],
    ]);
    wb.addWorksheet('人员').addRows([
      ['姓名', '手机', '单位编码', '角色', '钉钉用户ID', '企业微信用户ID'],
      ['陈联络', '13800000011', 'FGW', '联络员', 'dt-chen', ''],
    ]);
    await upload(Buffer.from(await wb.xlsx.writeBuffer())).expect(200);
    expect(await t.db.getRepository(Unit).count()).toBe(1);
  });
});
