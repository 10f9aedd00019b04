import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IntColumn, StringColumn, TextColumn } from '../database/columns';
import type { Channel } from '../shared/vocabulary';

export type ReportStatus = 'submitted' | 'returned';

/** F1: a progress report (反馈) from the lead unit; F2: the owner may return it with a reason. */
@Entity('report')
@Index('ix_report_item', ['itemId'])
export class Report {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() itemId!: number;
  @IntColumn() unitId!: number;
  @IntColumn() authorId!: number;
  @TextColumn() content!: string;
  @StringColumn(16) channel!: Channel;
  @DateTimeColumn() submittedAt!: Date;
  @StringColumn(16) status!: ReportStatus;
  @DateTimeColumn({ nullable: true }) returnedAt!: Date | null;
  @IntColumn({ nullable: true }) returnedById!: number | null;
  @StringColumn(500, { nullable: true }) returnReason!: string | null;
}
