import { randomBytes } from 'node:crypto';
import { byteLength, isPlainObject } from './errors';
import type { CardRecord, CardUpdate, Clock } from './types';

/** template_card rules from PLATFORMS.md "Template cards via app" (also applied to the AI bot's cards). */

const CARD_TYPES = ['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'];
export const INTERACTIVE = ['button_interaction', 'vote_interaction', 'multiple_interaction'];
const TASK_ID = /^[0-9A-Za-z_\-@]+$/;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** A detail for a 40058 answer (e.g. "template_card.button_list exceed max count 6"), or undefined when valid. */
export function checkTemplateCard(card: unknown): string | undefined {
  if (!isPlainObject(card)) return 'template_card missing';
  const type = card.card_type;
  if (typeof type !== 'string' || !CARD_TYPES.includes(type)) return `template_card.card_type invalid: ${String(type)}`;
  const interactive = INTERACTIVE.includes(type);
  if (interactive || card.task_id !== undefined) {
    if (!str(card.task_id)) return 'template_card.task_id missing';
    if (!TASK_ID.test(card.task_id)) return 'template_card.task_id invalid, only 0-9a-zA-Z_-@ allowed';
    if (byteLength(card.task_id) > 128) return 'template_card.task_id exceed max length 128';
  }
  if ((type === 'text_notice' || type === 'button_interaction') && !str(obj(card.main_title).title) && !str(card.sub_title_text)) {
    return 'template_card.main_title.title or sub_title_text required';
  }
  if (type === 'text_notice' && !isPlainObject(card.card_action)) return 'template_card.card_action required for text_notice';
  if (list(card.horizontal_content_list).length > 6) return 'template_card.horizontal_content_list exceed max count 6';
  for (const raw of list(card.horizontal_content_list)) {
    const h = obj(raw);
    if (!str(h.keyname)) return 'template_card.horizontal_content_list.keyname missing';
    // type 1 is a link line: it needs its url.
    if (h.type === 1 && !str(h.url)) return 'template_card.horizontal_content_list.url missing';
  }
  if (type === 'button_interaction') {
    const buttons = list(card.button_list);
    if (!buttons.length) return 'template_card.button_list missing';
    if (buttons.length > 6) return 'template_card.button_list exceed max count 6';
    const keys = new Set<string>();
    for (const raw of buttons) {
      const b = obj(raw);
      if (!str(b.text)) return 'template_card.button_list.text missing';
      if (b.type === 1) {
        if (!str(b.url)) return 'template_card.button_list.url missing';
        continue;
      }
      if (!str(b.key)) return 'template_card.button_list.key missing';
      if (byteLength(b.key) > 1024) return 'template_card.button_list.key exceed max length 1024';
      if (keys.has(b.key)) return 'template_card.button_list.key duplicated';
      keys.add(b.key);
    }
    const sel = card.button_selection;
    if (sel !== undefined) {
      const options = list(obj(sel).option_list);
      if (!options.length || options.length > 10) return 'template_card.button_selection.option_list count must be 1..10';
      if (options.some((o) => !str(obj(o).id) || byteLength(String(obj(o).id)) > 128)) return 'template_card.button_selection.option_list.id invalid';
    }
  }
  if (type === 'vote_interaction') {
    const options = list(obj(card.checkbox).option_list);
    if (!options.length || options.length > 20) return 'template_card.checkbox.option_list count must be 1..20';
    if (!str(obj(card.submit_button).key)) return 'template_card.submit_button.key missing';
  }
  if (type === 'multiple_interaction') {
    const selects = list(card.select_list);
    if (!selects.length || selects.length > 3) return 'template_card.select_list count must be 1..3';
    if (!str(obj(card.submit_button).key)) return 'template_card.submit_button.key missing';
  }
  return undefined;
}

/** Keys a member can still press on this card (none once replace_name turned the buttons into text). */
export function clickableKeys(card: CardRecord): string[] {
  if (card.replacedName !== undefined) return [];
  const c = card.current;
  const keys = list(c.button_list)
    .map((b) => obj(b))
    .filter((b) => b.type !== 1 && str(b.key))
    .map((b) => String(b.key));
  const submit = obj(c.submit_button).key;
  if (str(submit)) keys.push(submit);
  return keys;
}

export function applyUpdate(card: CardRecord, update: CardUpdate): void {
  card.updates.push(update);
  if (update.templateCard) {
    card.current = { ...update.templateCard };
    card.replacedName = undefined;
  } else if (update.replaceName !== undefined) {
    card.replacedName = update.replaceName;
    const { button_list: _b, submit_button: _s, ...rest } = card.current;
    card.current = { ...rest, replace_text: update.replaceName };
  }
}

interface CodeEntry {
  taskId: string;
  issuedAt: number;
  used: boolean;
}

/** Cards by task_id, and the single-use response_codes that may update them. */
export class CardBook {
  readonly cards = new Map<string, CardRecord>();
  private readonly codes = new Map<string, CodeEntry>();

  constructor(
    private readonly clock: Clock,
    private readonly codeTtlMs: number,
  ) {}

  register(card: Omit<CardRecord, 'current' | 'updates' | 'responseCodes'>): CardRecord {
    const record: CardRecord = { ...card, current: { ...card.card }, updates: [], responseCodes: [] };
    this.cards.set(record.taskId, record);
    return record;
  }

  issueCode(taskId: string): string {
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { taskId, issuedAt: this.clock(), used: false });
    this.cards.get(taskId)?.responseCodes.push(code);
    return code;
  }

  /** The card a response_code may update, or why it cannot be used; spend() it once the update is accepted. */
  lookup(code: unknown): { card: CardRecord } | { error: string } {
    const entry = typeof code === 'string' ? this.codes.get(code) : undefined;
    if (!entry) return { error: 'response_code invalid' };
    if (entry.used) return { error: 'response_code has been used' };
    if (this.clock() - entry.issuedAt >= this.codeTtlMs) return { error: 'response_code expired' };
    const card = this.cards.get(entry.taskId);
    return card ? { card } : { error: 'response_code invalid' };
  }

  spend(code: string): void {
    const entry = this.codes.get(code);
    if (entry) entry.used = true;
  }
}
