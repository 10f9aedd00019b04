import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, StringColumn } from '../database/columns';

/** P1: a 承办单位 (county government, department, street office…). */
@Entity('unit')
@Index('uq_unit_code', ['code'], { unique: true })
@Index('uq_unit_name', ['name'], { unique: true })
export class Unit {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  /** Short code used in imports and commands, e.g. FGW. */
  @StringColumn(32) code!: string;
  @StringColumn(100) name!: string;
  @CreatedAtColumn() createdAt!: Date;
}
