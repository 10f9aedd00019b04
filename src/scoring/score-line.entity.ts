import { Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, JsonColumn, StringColumn } from '../database/columns';
import type { ScoreTable } from './score.table';

export type ScoreSource = 'event' | 'quarter' | 'manual';

/** One point of the 激励积分 ledger (DOMAIN §5): its rule, unit, item, the event or entry behind it, the table version. */
@Entity('score_line')
@Index('uq_score_line_key', ['lineKey'], { unique: true })
/** Issue 17: the year's sums per unit and quarter (the ranking) from the index alone; replaces (year, unit_id). */
@Index('ix_score_line_year_unit_quarter', ['year', 'unitId', 'quarter', 'pointsTenths'])
@Index('ix_score_line_item', ['itemId'])
export class ScoreLineRow {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(191) lineKey!: string;
  @StringColumn(4) rule!: string;
  @IntColumn() unitId!: number;
  @IntColumn({ nullable: true }) itemId!: number | null;
  @IntColumn() pointsTenths!: number;
  @DateTimeColumn() at!: Date;
  @IntColumn() year!: number;
  @IntColumn() quarter!: number;
  @StringColumn(300) explanation!: string;
  @StringColumn(32) tableId!: string;
  @IntColumn() tableVersion!: number;
  @IntColumn({ nullable: true }) eventId!: number | null;
  @StringColumn(8) source!: ScoreSource;
  @StringColumn(500, { nullable: true }) reason!: string | null;
  @IntColumn({ nullable: true }) createdById!: number | null;
  @CreatedAtColumn() createdAt!: Date;
}

/** One version of the scoring table (issue 7 §1: the table is versioned data). */
@Entity('score_table')
export class ScoreTableRow {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id!: string;
  @PrimaryColumn({ type: 'int' }) version!: number;
  @JsonColumn() body!: ScoreTable;
  @IntColumn({ nullable: true }) createdById!: number | null;
  @CreatedAtColumn() createdAt!: Date;
}
