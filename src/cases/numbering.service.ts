import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { formatItemNumber, normalizeItemNumber } from './item-number.rules';
import { NumberSequence } from './number-sequence.entity';

/**
 * C1: hands out DB{year}-{seq:4} inside the registering transaction.
 * The UPDATE takes the row lock on MySQL (and SQLite serialises writers), so concurrent registrations never share a number.
 */
@Injectable()
export class NumberingService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get prefix(): string {
    return this.config.numberPrefix;
  }

  async next(em: EntityManager, year: number): Promise<{ number: string; seq: number }> {
    const seq = await nextInSequence(em, this.config.numberPrefix, year);
    return { number: formatItemNumber(this.config.numberPrefix, year, seq), seq };
  }

  normalize(input: string): string | null {
    return normalizeItemNumber(input, this.config.numberPrefix);
  }
}

/**
 * The next number of a (prefix, year) sequence, inside the caller's transaction — items (DB), clues (XS), bulletins
 * (TB). The UPDATE takes the row lock at once (MySQL; SQLite serialises writers), so two callers never share a number.
 * (UPDATE first: INSERT IGNORE first would take a shared lock that two callers then both try to upgrade — a
 * deadlock.) Only a year's first number inserts.
 */
export async function nextInSequence(em: EntityManager, prefix: string, year: number): Promise<number> {
  if (prefix.length > 16) throw new RangeError(`sequence prefix "${prefix}" is longer than the column (16)`);
  const bump = () =>
    em
      .createQueryBuilder()
      .update(NumberSequence)
      .set({ lastSeq: () => 'last_seq + 1' })
      .where('prefix = :prefix AND year = :year', { prefix, year })
      .execute();
  if (((await bump()).affected ?? 0) === 0) {
    // updateEntity(false): an ignored insert has no row of its own to read back (issue 17: with a defaulted or generated
    // column TypeORM would fail looking for it, as the card_instance insert did).
    await em.createQueryBuilder().insert().into(NumberSequence).values({ prefix, year, lastSeq: 0 }).orIgnore().updateEntity(false).execute();
    await bump();
  }
  return (await em.findOneByOrFail(NumberSequence, { prefix, year })).lastSeq;
}
