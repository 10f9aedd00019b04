/** Pure, platform-neutral views of messages (no framework): what features compose, what chat shows. */
import type { Actor } from '../shared/actor';

/** A text message as people read it, before any platform renders it. */
export interface MessageText {
  title: string;
  text: string;
  /**
   * A picture the text shows as `![alt](url)` (issue 14: the 通报's chart). A platform whose markdown shows no pictures
   * (WeCom) turns that line into a link and sends `png` as an image message after the text.
   */
  image?: { url: string; alt: string; png: Buffer };
  /** Issue 14: people to @ where it goes to a group (each platform renders the mention its own way). */
  mentionPersonIds?: number[];
}

/**
 * The views a card message can show: an item's (assignment, review, approval — chat builds them from the item) or a
 * decision about a subject that is not an item (built by the feature that owns the subject, below).
 */
export type CardViewKind = 'assignment' | 'review' | 'approval' | 'extension' | 'decision';

/** A button a person may press on a decision; `rate:good` carries its value. */
export interface ActionButton {
  /** The action id sent back by the click. */
  id: string;
  label: string;
  /** The button needs text typed first (a report, a reason). */
  input?: { key: string; placeholder: string };
  style?: 'primary' | 'danger' | 'normal';
}

/**
 * A decision asked of one person about something that is not an item (the leader's 审核 of an accountability
 * opinion, a bulletin's approval): facts, a summary and the buttons; `number` is the subject's number. Platform-neutral:
 * chat shows it as a card.
 */
export interface DecisionView {
  kind: 'decision';
  number: string;
  title: string;
  state: string;
  stateLabel: string;
  deadline: string;
  timeLeft: string;
  buttons: ActionButton[];
  summary: string;
  facts: { label: string; value: string }[];
}

/** Builds the decision of one subject for one viewer (null: nobody may act on it any more, or no such subject). */
export type DecisionBuilder = (subject: string, viewer: Actor | null) => Promise<DecisionView | null>;
