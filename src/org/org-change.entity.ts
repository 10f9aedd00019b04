import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DateTimeColumn, IntColumn, StringColumn } from '../database/columns';

export type OrgSubject = 'unit' | 'person' | 'group';

/**
 * Issue 15: one change to the directory (P1–P3) — a unit renamed or retired, a person moved, retired or an account
 * removed, a group changed or removed: who did it, when (the service clock), and what, in a sentence a person reads.
 * Append-only, like an item's timeline (C6).
 */
@Entity('org_change')
@Index('ix_org_change_subject', ['subject', 'subjectId'])
export class OrgChange {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(16) subject!: OrgSubject;
  @IntColumn() subjectId!: number;
  @StringColumn(32) action!: string;
  @StringColumn(500) summary!: string;
  /** null: the bootstrap admin token or the service itself. */
  @IntColumn({ nullable: true }) byPersonId!: number | null;
  @StringColumn(50) byName!: string;
  @DateTimeColumn() at!: Date;
  @CreatedAtColumn() createdAt!: Date;
}
