import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BoolColumn, CreatedAtColumn, UpdatedAtColumn, DateTimeColumn, IntColumn, StringColumn, TextColumn, UnsetInstantColumn } from '../database/columns';
import type { Board, Category, ItemKind, ItemState, Rating, Source } from '../shared/vocabulary';

/** C1: a 督办事项. State moves only through cases.service (C5); every change leaves an item_event (C6). */
@Entity('item')
@Index('ix_item_state_deadline', ['state', 'deadlineAt'])
@Index('ix_item_parent', ['parentId'])
@Index('uq_item_number', ['number'], { unique: true })
@Index('ix_item_source', ['source'])
/**
 * Issue 17, the 通报's counts: the items registered in a period, and those closed in it or still open at its end,
 * read from these two indexes alone (B1's live items by lead unit and source, on time or late, rated) — not from the
 * rows. ix_item_register_counts replaces ix_item_registered (registered_at), its first column.
 */
@Index('ix_item_register_counts', ['registeredAt', 'state', 'decomposed', 'source'])
@Index('ix_item_closed_counts', ['closedAt', 'deadlineAt', 'answeredAt', 'assignedAt', 'state', 'decomposed', 'source', 'rating'])
@Index('ix_item_plan', ['state', 'remindersPlannedUntil'])
/** Issue 17: the 台账's order (deadline, then id) read from an index, not sorted. */
@Index('ix_item_deadline', ['deadlineAt', 'id'])
export class Item {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(32) number!: string;
  @StringColumn(200) title!: string;
  @TextColumn() content!: string;
  @StringColumn(24) source!: Source;
  /** 纪要/批示件号 */
  @StringColumn(100, { default: '' }) sourceRef!: string;
  @StringColumn(16) board!: Board;
  @StringColumn(16) category!: Category;
  /** R9: a 整改通知 (rectification order) has a deadline and reminders by rule; everything else is a 'task'. */
  @StringColumn(16, { default: 'task' }) kind!: ItemKind;
  @StringColumn(24) state!: ItemState;
  /** P4: the owner person who registered the item (or was named in a reassignment) — the office's contact for it. */
  @IntColumn() ownerId!: number;
  /**
   * P2, P4: the 立项主体 is an office (科室), any of whose owner-role people may act. Modelled as the owner's home unit
   * (person.unitId), copied here at registration and changed only by a reassignment, so the item stays with the office
   * when a person moves. No separate office entity: an office is a unit row, which already has people, contacts and
   * groups. Null when the owner has no home unit: then only ownerId acts as owner.
   */
  @IntColumn({ nullable: true }) ownerUnitId!: number | null;
  @IntColumn() leaderId!: number;
  @IntColumn({ nullable: true }) registeredById!: number | null;
  /** D1: the person served (服务对象), whose agreement closure needs. */
  @StringColumn(100, { nullable: true }) servedParty!: string | null;
  @DateTimeColumn() deadlineAt!: Date;
  /** How the deadline was given: '7d', 'date:2026-12-10', 'wd:10' (C3). */
  @StringColumn(32) deadlineSpec!: string;
  @StringColumn(500, { nullable: true }) deadlineReason!: string | null;
  /** C4: the decision this item was decomposed from. */
  @IntColumn({ nullable: true }) parentId!: number | null;
  @BoolColumn({ default: false }) decomposed!: boolean;
  /** S7 needs the count of returns; D1 the failed agreement attempts. */
  @IntColumn({ default: 0 }) returnCount!: number;
  @IntColumn({ default: 0 }) failedClosureAttempts!: number;
  @StringColumn(16, { nullable: true }) rating!: Rating | null;
  /** R5: 重点督办 is a flag on an open item, not a state (C5). */
  @BoolColumn({ default: false }) keySupervision!: boolean;
  @DateTimeColumn() registeredAt!: Date;
  @DateTimeColumn({ nullable: true }) assignedAt!: Date | null;
  /**
   * A1, B1, B3: when the lead unit answered the current node — its first standing report (反馈) or closure request
   * (申请办结). Cleared when that answer is returned (F2) or an extension starts a new node (E1). The fact only:
   * what it means (on time, late, awaiting approval) is overdue.rules.ts.
   */
  @DateTimeColumn({ nullable: true }) answeredAt!: Date | null;
  @DateTimeColumn({ nullable: true }) closedAt!: Date | null;
  /** D3: 销号 — the number is retired and never handed out again. */
  @DateTimeColumn({ nullable: true }) numberRetiredAt!: Date | null;
  @DateTimeColumn({ nullable: true }) archivedAt!: Date | null;
  /**
   * Issue 6: reminders are stored up to this instant; every command clears it (in its own transaction) so the next tick
   * plans the item again. Issue 17: with the state, it is the item's next planning instant, indexed (ix_item_plan): the
   * tick plans an open item when this is unset or less than half its horizon ahead, and reads exactly those from the
   * index. Stored unset as the epoch, not NULL (UnsetInstantColumn): planning moves 10^5 marks a minute at a cold start.
   */
  @UnsetInstantColumn() remindersPlannedUntil!: Date | null;
  /** Optimistic lock: a command updates only the version it read, so two clicks cannot both win. */
  @IntColumn({ default: 1 }) version!: number;
  @CreatedAtColumn() createdAt!: Date;
  @UpdatedAtColumn() updatedAt!: Date;
}
