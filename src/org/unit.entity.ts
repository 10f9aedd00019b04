import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, StringColumn } from '../database/columns';

/** P1: a 承办单位 (county government, department, street office…). */
@Entity('unit')
export class Unit {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  /** Short code used in imports and commands, e.g. FGW. */
  @StringColumn(32, { unique: true }) code!: string;
  @StringColumn(100, { unique: true }) name!: string;
  @CreatedAtColumn() createdAt!: Date;
}
