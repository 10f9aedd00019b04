/**
 * Pure helpers on local calendar dates written 'YYYY-MM-DD' (an Asia/Shanghai date, no time, no zone).
 * Arithmetic goes through UTC milliseconds only: local-time getters (getDate, getDay, …) would make the
 * answer depend on the process time zone, which is exactly the bug found in chinese-days' own API.
 */
const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Issue 17: planning a large register asks about the same few hundred dates millions of times; what was found valid
 * (and each date's UTC midnight) is remembered. Bounded: past MEMO entries a memo starts over.
 */
const MEMO = 50_000;
const VALID = new Set<string>();
const UTC_MS = new Map<string, number>();
function remember(memo: Set<string>, key: string): void;
function remember<V>(memo: Map<string, V>, key: string, value: V): void;
function remember<V>(memo: Set<string> | Map<string, V>, key: string, value?: V): void {
  if (memo.size >= MEMO) memo.clear();
  if (memo instanceof Set) memo.add(key);
  else memo.set(key, value as V);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month (1..12) of year, by the Gregorian rule — no Date object, so no two-digit-year quirks. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Strict 'YYYY-MM-DD' that names a real date: '2025-02-29', '2025-2-3' and '2025-01-01T00:00' are all false. */
export function isValidLocalDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  if (VALID.has(s)) return true;
  const m = LOCAL_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ok = y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
  if (ok) remember(VALID, s);
  return ok;
}

/** Throws RangeError (naming the argument) unless s is a valid local date. */
export function assertLocalDate(s: string, what = 'date'): void {
  if (!isValidLocalDate(s)) {
    throw new RangeError(`${what} must be a real calendar date written YYYY-MM-DD, got ${JSON.stringify(s)}`);
  }
}

/** Throws RangeError unless n is a safe integer (day counts are never fractional). */
export function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${String(n)}`);
}

/** UTC midnight of the date, in ms. setUTCFullYear avoids Date.UTC mapping years 0..99 to 1900..1999. */
function toUtcMs(date: string): number {
  const known = UTC_MS.get(date);
  if (known !== undefined) return known;
  assertLocalDate(date);
  const t = new Date(0);
  t.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  remember(UTC_MS, date, t.getTime());
  return t.getTime();
}

function fromUtcMs(ms: number): string {
  const t = new Date(ms);
  const y = t.getUTCFullYear();
  if (y < 1 || y > 9999) throw new RangeError(`date out of range (years 0001..9999): ${t.toISOString()}`);
  return `${pad(y, 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** The calendar date n days after (n < 0: before) date. */
export function addDays(date: string, n: number): string {
  assertInteger(n, 'n');
  return fromUtcMs(toUtcMs(date) + n * DAY_MS);
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/** Year part of a valid local date. */
export function yearOf(date: string): number {
  assertLocalDate(date);
  return Number(date.slice(0, 4));
}

/** 'YYYY-MM-DD' from numeric parts (month 1..12), validated. */
export function localDate(year: number, month: number, day: number): string {
  const s = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  assertLocalDate(s);
  return s;
}
