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
    const prefix = this.config.numberPrefix;
    const bump = () =>
      em
        .createQueryBuilder()
        .update(NumberSequence)
        .set({ lastSeq: () => 'last_seq + 1' })
        .where('prefix = :prefix AND year = :year', { prefix, year })
        .execute();
    // UPDATE first: it takes the row's exclusive lock at once. (INSERT IGNORE first would take a shared lock
    // that two registrations then both try to upgrade — a deadlock.) Only the year's first number inserts.
    if (((await bump()).affected ?? 0) === 0) {
      await em.createQueryBuilder().insert().into(NumberSequence).values({ prefix, year, lastSeq: 0 }).orIgnore().execute();
      await bump();
    }
    const row = await em.findOneByOrFail(NumberSequence, { prefix, year });
    return { number: formatItemNumber(prefix, year, row.lastSeq), seq: row.lastSeq };
  }

  normalize(input: string): string | null {
    return normalizeItemNumber(input, this.config.numberPrefix);
  }
}
