import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel } from '../shared/vocabulary';
import { CreatedAtColumn, DateTimeColumn, IntColumn, JsonColumn, StringColumn, TextColumn, UpdatedAtColumn } from '../database/columns';
import type { ClueTrigger, DocumentRef, OpinionTarget, ProcedureState, ResultScope } from './accountability.types';

/** What the procedure has gathered so far (A2): the proposal, the 核查报告, the opinion, the result … */
export interface ClueData {
  proposal?: string;
  verification?: DocumentRef | { skipped: string };
  opinion?: readonly OpinionTarget[];
  auditNote?: string;
  implementation?: string[];
  result?: string;
  scope?: ResultScope;
  documents?: DocumentRef[];
}

/** A1: a 问题线索 — it does not punish by itself; the A2 procedure decides. */
@Entity('clue')
@Index('uq_clue_number', ['number'], { unique: true })
@Index('uq_clue_dedupe', ['dedupeKey'], { unique: true })
@Index('ix_clue_state', ['state'])
@Index('ix_clue_unit', ['unitId'])
export class Clue {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  /** XS2026-0001: typed in chat, quoted in cards. */
  @StringColumn(32) number!: string;
  @StringColumn(16, { name: 'trigger_kind' }) trigger!: ClueTrigger;
  @IntColumn() unitId!: number;
  @IntColumn({ nullable: true }) itemId!: number | null;
  @StringColumn(191) dedupeKey!: string;
  @StringColumn(24) state!: ProcedureState;
  @StringColumn(500) summary!: string;
  @JsonColumn() data!: ClueData;
  @IntColumn({ default: 1 }) version!: number;
  @DateTimeColumn() openedAt!: Date;
  @CreatedAtColumn() createdAt!: Date;
  @UpdatedAtColumn() updatedAt!: Date;
}

/** One step of a clue's procedure (A2), append-only like an item's timeline (C6). */
@Entity('clue_event')
@Index('ix_clue_event_clue', ['clueId', 'id'])
export class ClueEvent {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() clueId!: number;
  @StringColumn(24) action!: string;
  @StringColumn(24, { nullable: true }) fromState!: ProcedureState | null;
  @StringColumn(24) toState!: ProcedureState;
  @IntColumn({ nullable: true }) actorId!: number | null;
  @StringColumn(100) actorName!: string;
  @StringColumn(16) channel!: Channel;
  @DateTimeColumn() at!: Date;
  @TextColumn() summary!: string;
  @JsonColumn({ nullable: true }) data!: Record<string, unknown> | null;
}

/** A file attached to a clue's procedure (A2: 核查报告, 问责处理意见书, 结果报告 …); steps cite it as `doc:<id>`. */
@Entity('document')
@Index('ix_document_owner', ['ownerKind', 'ownerId'])
export class DocumentFile {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(16) ownerKind!: 'clue';
  @IntColumn() ownerId!: number;
  @StringColumn(200) name!: string;
  @StringColumn(100) mime!: string;
  @IntColumn() size!: number;
  @StringColumn(64) sha256!: string;
  @Column({ type: 'blob', select: false }) content!: Buffer;
  @IntColumn({ nullable: true }) uploadedById!: number | null;
  @CreatedAtColumn() createdAt!: Date;
}
