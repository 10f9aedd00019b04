import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, IntColumn, StringColumn } from '../database/columns';
import type { UnitRole } from '../shared/vocabulary';

/** C1: the lead unit (主办) and co-units (协办) of an item, each signing for it on its own. */
@Entity('item_unit')
@Index('uq_item_unit', ['itemId', 'unitId'], { unique: true })
@Index('ix_item_unit_unit', ['unitId', 'role'])
/** Issue 17: a unit's items (the 台账's unit filter, P4's read scope) from the index alone. */
@Index('ix_item_unit_unit_item', ['unitId', 'itemId'])
/** Issue 17: an item's lead unit — a planning batch's, a claim's, a digest's, the 通报's counts by lead unit — from the index alone. */
@Index('ix_item_unit_item_role', ['itemId', 'role', 'unitId'])
export class ItemUnit {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() itemId!: number;
  @IntColumn() unitId!: number;
  @StringColumn(8) role!: UnitRole;
  @DateTimeColumn({ nullable: true }) signedAt!: Date | null;
  @IntColumn({ nullable: true }) signedById!: number | null;
}
