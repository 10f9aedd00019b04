import { Injectable } from '@nestjs/common';

/** A clue as the reminders' digest tells it: its number and what it says. */
export interface ClueSummary {
  number: string;
  summary: string;
}

/**
 * Issue 14 (R10 with A1): an overdue clue's notice rides in the moment's reminder digest, but clues belong to
 * accountability, to the right of reminders. Accountability hands its reader in here when it starts (as the features
 * hand their composers to MessageKinds), so the digest reads clues without reminders importing accountability.
 */
@Injectable()
export class ClueSummaries {
  private reader: ((numbers: string[]) => Promise<ClueSummary[]>) | null = null;

  /** Accountability's reader of clues by number. */
  provide(reader: (numbers: string[]) => Promise<ClueSummary[]>): void {
    this.reader = reader;
  }

  /** The clues of these numbers; none while accountability is not there (its notices are not told then either). */
  async load(numbers: string[]): Promise<ClueSummary[]> {
    return numbers.length && this.reader ? this.reader(numbers) : [];
  }
}
