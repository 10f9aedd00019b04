import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, IntColumn, StringColumn } from '../database/columns';
import type { Role } from '../shared/vocabulary';

/** P2: a role a person holds; unit_contact and unit_head are held for one unit. */
@Entity('role_grant')
@Index('ix_role_grant_person', ['personId'])
export class RoleGrant {
  @PrimaryGeneratedColumn({ type: 'int' }) id!: number;
  @IntColumn() personId!: number;
  @StringColumn(16) role!: Role;
  @IntColumn({ nullable: true }) unitId!: number | null;
  @CreatedAtColumn() createdAt!: Date;
}
