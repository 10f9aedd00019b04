import { XMLParser } from 'fast-xml-parser';

/** The little XML WeCom speaks: flat-ish elements, strings in CDATA, numbers bare (PLATFORMS.md, Gotchas). */

/** Strings go out in CDATA; numbers and bigints (a 64-bit MsgId) bare. */
export type XmlValue = string | number | bigint | XmlObject | XmlValue[];
export interface XmlObject {
  [tag: string]: XmlValue;
}

/** CDATA cannot hold `]]>`: split it across two sections. */
export function cdata(s: string): string {
  return `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function element(tag: string, value: XmlValue): string {
  if (Array.isArray(value)) return value.map((v) => element(tag, v)).join('');
  if (typeof value === 'number' || typeof value === 'bigint') return `<${tag}>${value}</${tag}>`;
  if (typeof value === 'string') return `<${tag}>${cdata(value)}</${tag}>`;
  return `<${tag}>${Object.entries(value)
    .map(([k, v]) => element(k, v))
    .join('')}</${tag}>`;
}

export function toXml(fields: XmlObject): string {
  return element('xml', fields);
}

/** Raw text of a number-like field is kept (MsgId exceeds 2^53); CDATA and plain text read the same. */
const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, processEntities: true });

export function parseXml(text: string): Record<string, unknown> | undefined {
  try {
    const doc = parser.parse(text) as Record<string, unknown>;
    const root = doc?.xml;
    return typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
