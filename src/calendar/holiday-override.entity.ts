import { Entity, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, StringColumn } from '../database/columns';
import type { DayKind } from './work-calendar';

/** C3: an admin's correction to the official calendar (a year the library does not cover yet, a local 调休). */
@Entity('holiday_override')
export class HolidayOverride {
  @PrimaryColumn({ type: 'varchar', length: 10 }) date!: string;
  @StringColumn(8) kind!: DayKind;
  @StringColumn(100, { default: '' }) note!: string;
  @CreatedAtColumn() createdAt!: Date;
}
