import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel } from '../shared/vocabulary';
import { BoolColumn, CreatedAtColumn, DateTimeColumn, IntColumn, JsonColumn, StringColumn, TextColumn, UpdatedAtColumn } from '../database/columns';
import type { BulletinDraft, BulletinKind } from './bulletin.rules';

export type BulletinState = 'draft' | 'pending_approval' | 'approved' | 'published';
export const BULLETIN_STATE_LABELS: Record<BulletinState, string> = { draft: '草稿', pending_approval: '待领导审定', approved: '已审定', published: '已印发' };

/** B1/B2: one 通报 — its period and issue, the facts it was made from, the text as edited, who approved it, when it went out. */
@Entity('bulletin')
@Index('uq_bulletin_number', ['number'], { unique: true })
@Index('uq_bulletin_token', ['publicToken'], { unique: true })
@Index('ix_bulletin_period', ['kind', 'periodFrom'])
export class Bulletin {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  /** TB2026-0001: typed in chat, quoted on the leader's card. */
  @StringColumn(32) number!: string;
  @StringColumn(16) kind!: BulletinKind;
  @StringColumn(40) periodSpec!: string;
  @DateTimeColumn() periodFrom!: Date;
  @DateTimeColumn() periodTo!: Date;
  @StringColumn(60) periodLabel!: string;
  @IntColumn() issueYear!: number;
  @IntColumn() issueNo!: number;
  @StringColumn(100) office!: string;
  @StringColumn(300, { nullable: true }) recipients!: string | null;
  @StringColumn(24) state!: BulletinState;
  @JsonColumn() facts!: Record<string, unknown>;
  @TextColumn() generatedText!: string;
  @JsonColumn() draft!: BulletinDraft;
  @BoolColumn({ default: false }) edited!: boolean;
  @JsonColumn({ nullable: true }) groupIds!: number[] | null;
  /** The unguessable part of the public links (full text, chart) the broadcast carries. */
  @StringColumn(48) publicToken!: string;
  @IntColumn({ nullable: true }) createdById!: number | null;
  @IntColumn({ nullable: true }) approvedById!: number | null;
  @DateTimeColumn({ nullable: true }) approvedAt!: Date | null;
  @DateTimeColumn({ nullable: true }) publishedAt!: Date | null;
  @IntColumn({ default: 1 }) version!: number;
  @CreatedAtColumn() createdAt!: Date;
  @UpdatedAtColumn() updatedAt!: Date;
}

@Entity('bulletin_event')
@Index('ix_bulletin_event', ['bulletinId', 'id'])
export class BulletinEvent {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() bulletinId!: number;
  @StringColumn(24) action!: string;
  @StringColumn(24) toState!: BulletinState;
  @IntColumn({ nullable: true }) actorId!: number | null;
  @StringColumn(100) actorName!: string;
  @StringColumn(16) channel!: Channel;
  @DateTimeColumn() at!: Date;
  @TextColumn() summary!: string;
}

/** Issue 11 (defect 8): the chart, drawn once when a leader approved the 通报; the public link serves these bytes. */
@Entity('bulletin_chart')
export class BulletinChart {
  @PrimaryColumn({ type: 'int' }) bulletinId!: number;
  @Column({ type: 'blob' }) png!: Buffer;
  @IntColumn() size!: number;
  @StringColumn(64) sha256!: string;
  @CreatedAtColumn() createdAt!: Date;
}
