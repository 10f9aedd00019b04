import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BoolColumn, CreatedAtColumn, IntColumn, StringColumn } from '../database/columns';

@Entity('person')
export class Person {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @StringColumn(50) name!: string;
  @StringColumn(20, { nullable: true }) mobile!: string | null;
  /** Home unit, if any (a 督查室 member or a leader may have none here). */
  @IntColumn({ nullable: true }) unitId!: number | null;
  @BoolColumn({ default: true }) active!: boolean;
  @CreatedAtColumn() createdAt!: Date;
}
