/**
 * Issue 11 (defect 7): an .xlsx is a zip, and a 1.6 MB zip may inflate to hundreds of megabytes (a "zip bomb") and take
 * the process down with it. Before anything inflates an uploaded archive we read its central directory (no inflating)
 * and check the entry count, every entry's declared size, the total and the compression ratio; then each entry is
 * inflated once with its declared size as a hard ceiling, so an archive that lies about its sizes is caught too.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Entries in the archive (an .xlsx from Excel or WPS has 10–30). */
  maxEntries: number;
  /** Declared uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Declared uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, for entries above 1 MB (spreadsheet XML compresses 10–30×; bombs 1000×). */
  maxRatio: number;
}

export const XLSX_LIMITS: ZipLimits = { maxEntries: 500, maxEntryBytes: 30 * 1024 * 1024, maxTotalBytes: 50 * 1024 * 1024, maxRatio: 200 };

export type ZipProblem =
  | { kind: 'not_zip' }
  | { kind: 'too_many_entries'; entries: number }
  | { kind: 'too_big'; name: string; bytes: number }
  | { kind: 'ratio'; name: string; ratio: number }
  | { kind: 'lies'; name: string };

interface Entry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

/** The central directory, read from the end of the archive; null when it is not a (non-zip64) zip. */
function entries(buf: Buffer): Entry[] | null {
  // The end-of-central-directory record is in the last 22 + 65,535 bytes (its comment is at most 64 KB).
  const from = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff || offset + size > buf.length) return null;
  const out: Entry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN) return null;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    out.push({
      name: buf.toString('utf8', p + 46, Math.min(buf.length, p + 46 + nameLen)),
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      uncompressed: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The first problem found with the archive, or null when it is safe to inflate. */
export function checkZip(buf: Buffer, limits: ZipLimits = XLSX_LIMITS): ZipProblem | null {
  const list = buf.length >= 22 ? entries(buf) : null;
  if (!list) return { kind: 'not_zip' };
  if (list.length > limits.maxEntries) return { kind: 'too_many_entries', entries: list.length };
  let total = 0;
  for (const e of list) {
    // zip64 markers: a spreadsheet never needs them.
    if (e.uncompressed === 0xffffffff || e.compressed === 0xffffffff) return { kind: 'too_big', name: e.name, bytes: Infinity };
    if (e.uncompressed > limits.maxEntryBytes) return { kind: 'too_big', name: e.name, bytes: e.uncompressed };
    total += e.uncompressed;
    if (total > limits.maxTotalBytes) return { kind: 'too_big', name: e.name, bytes: total };
    if (e.uncompressed > 1024 * 1024 && e.uncompressed / Math.max(1, e.compressed) > limits.maxRatio)
      return { kind: 'ratio', name: e.name, ratio: Math.round(e.uncompressed / Math.max(1, e.compressed)) };
  }
  // The sizes are only declared: inflate each entry with its declared size as the ceiling (zlib stops there).
  for (const e of list) {
    if (e.method !== 8 && e.method !== 0) continue; // other methods: the reader refuses them itself
    const p = e.localOffset;
    if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOC) return { kind: 'not_zip' };
    const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
    const data = buf.subarray(start, Math.min(buf.length, start + e.compressed));
    if (e.method === 0) {
      if (data.length !== e.uncompressed) return { kind: 'lies', name: e.name };
      continue;
    }
    try {
      const out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressed) });
      if (out.length !== e.uncompressed) return { kind: 'lies', name: e.name };
    } catch (err) {
      // zlib stopped at the ceiling (checked by code: in some sandboxes RangeError is another realm's class).
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'lies', name: e.name };
      return { kind: 'not_zip' };
    }
  }
  return null;
}
