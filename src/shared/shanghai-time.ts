/**
 * Asia/Shanghai wall-clock helpers. China has kept UTC+8 without daylight saving since 1991,
 * so a fixed offset is exact and independent of the process time zone.
 */
const OFFSET_MS = 8 * 3600_000;
export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;

/** shanghaiInstant's memo: 'YYYY-MM-DD HH:MM' → ms. */
const INSTANTS = new Map<string, number>();

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD' of the Shanghai local date of an instant. */
export function shanghaiDate(at: Date): string {
  const l = new Date(at.getTime() + OFFSET_MS);
  return `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}`;
}

export function shanghaiYear(at: Date): number {
  return new Date(at.getTime() + OFFSET_MS).getUTCFullYear();
}

/** The instant of a Shanghai local date and time ('YYYY-MM-DD', 'HH:MM'). */
export function shanghaiInstant(date: string, time = '00:00'): Date {
  // Issue 17: planning asks for the same few hundred (date, time) pairs millions of times; each is parsed once.
  const key = `${date} ${time}`;
  let ms = INSTANTS.get(key);
  if (ms === undefined) {
    const [y, m, d] = date.split('-').map(Number);
    const [hh, mm] = time.split(':').map(Number);
    ms = Date.UTC(y, m - 1, d, hh, mm) - OFFSET_MS;
    if (INSTANTS.size >= 50_000) INSTANTS.clear();
    INSTANTS.set(key, ms);
  }
  return new Date(ms);
}

/** ISO 8601 with the +08:00 offset: what people in China expect to read. */
export function toShanghaiIso(at: Date | null | undefined): string | null {
  if (!at) return null;
  const l = new Date(at.getTime() + OFFSET_MS);
  return (
    `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())}` +
    `T${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}+08:00`
  );
}

/** '2026-12-10 18:00' for messages and spreadsheets. */
export function formatShanghai(at: Date | null | undefined): string {
  if (!at) return '';
  const iso = toShanghaiIso(at)!;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Calendar months added in Shanghai local time, clamped to the month's last day (Jan 31 + 1m = Feb 28/29). */
export function addMonthsShanghai(at: Date, months: number): Date {
  const l = new Date(at.getTime() + OFFSET_MS);
  const y = l.getUTCFullYear();
  const m = l.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = Math.min(l.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, d, l.getUTCHours(), l.getUTCMinutes(), l.getUTCSeconds(), l.getUTCMilliseconds()) - OFFSET_MS);
}

/** The instant at 00:00 Shanghai, `days` after the local date (for inclusive date ranges). */
export function addDaysShanghai(date: string, days: number): Date {
  return new Date(shanghaiInstant(date).getTime() + days * DAY_MS);
}
