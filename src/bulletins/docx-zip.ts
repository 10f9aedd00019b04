/**
 * Issue 17: the one file of a .docx package (a zip) that a 通报 writes itself — word/document.xml, with its large
 * tables set as text — put in place of the one docx wrote, every other file copied as it was compressed. Only what a
 * .docx written by docx uses: no zip64, no encryption, files stored or deflated.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

interface Entry {
  name: Buffer;
  method: number;
  crc: number;
  compressed: Buffer;
  size: number;
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(b: Buffer): number {
  let c = -1;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function entries(zip: Buffer): Entry[] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('not a zip file: bad central directory');
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.push({ name: zip.subarray(at + 46, at + 46 + nameLength), method, crc, compressed: zip.subarray(data, data + compressedSize), size });
    at += 46 + skip;
  }
  return out;
}

/** The text of one file of the package. */
export function readZipText(zip: Buffer, path: string): string {
  const e = entries(zip).find((x) => x.name.toString('utf8') === path);
  if (!e) throw new Error(`${path} is not in the package`);
  return (e.method === 0 ? e.compressed : inflateRawSync(e.compressed)).toString('utf8');
}

/** The package with one file's text replaced (deflated); the others are copied byte for byte, in their order. */
export function replaceZipText(zip: Buffer, path: string, text: string): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries(zip)) {
    let { method, crc, compressed, size } = e;
    if (e.name.toString('utf8') === path) {
      const raw = Buffer.from(text, 'utf8');
      method = 8;
      crc = crc32(raw);
      compressed = deflateRawSync(raw);
      size = raw.length;
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x00210000, 10); // modified 1980-01-01 00:00: the same package for the same 通报
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(e.name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4); // made by: 2.0
    local.copy(dir, 6, 4, 30); // version needed … name length, as in the local header
    dir.writeUInt32LE(offset, 42);
    parts.push(local, e.name, compressed);
    central.push(dir, e.name);
    offset += local.length + e.name.length + compressed.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
