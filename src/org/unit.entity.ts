import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { BoolColumn, CreatedAtColumn, IntColumn, StringColumn } from '../database/columns';

/** P1: a 承办单位 (county government, department, street office…). */
@Entity('unit')
@Index('uq_unit_code', ['code'], { unique: true })
@Index('uq_unit_name', ['name'], { unique: true })
export class Unit {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  /** Short code used in imports and commands, e.g. FGW. */
  @StringColumn(32) code!: string;
  @StringColumn(100) name!: string;
  /**
   * R4: for an office (科室) acting as 立项主体, its coordinating leader (分管副秘书长 / 办公厅分管领导, a person with the
   * leader role), to whom the owner reports an item 2 days overdue. Set by the admin only (grant.rules: privileged).
   */
  @IntColumn({ nullable: true }) coordinatingLeaderId!: number | null;
  /** Issue 15: a retired (停用) unit keeps its history but is given no new items. */
  @BoolColumn({ default: true }) active!: boolean;
  @CreatedAtColumn() createdAt!: Date;
}
