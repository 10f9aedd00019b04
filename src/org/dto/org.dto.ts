import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ROLES, type Platform, type Role } from '../../shared/vocabulary';

const PLATFORMS = ['dingtalk', 'wecom'];

export class CreateUnitDto {
  @ApiProperty({ example: 'FGW' }) @IsString() @Matches(/^[A-Za-z0-9_-]{1,32}$/) code!: string;
  @ApiProperty({ example: '市发展改革委' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
}

export class CoordinatingLeaderDto {
  @ApiProperty({ description: '分管领导（分管副秘书长或办公厅分管领导，须持领导角色）的人员编号；null 表示取消', nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  coordinatingLeaderId!: number | null;
}

export class IdentityDto {
  @ApiProperty({ enum: PLATFORMS }) @IsIn(PLATFORMS) platform!: Platform;
  @ApiProperty({ description: '钉钉 userId / 企业微信 userid' }) @IsString() @IsNotEmpty() @MaxLength(128) externalUserId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) corpId?: string;
}

export class RoleDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
  @ApiPropertyOptional({ description: '联络员、负责人须指定单位' }) @IsOptional() @IsInt() unitId?: number;
}

export class CreatePersonDto {
  @ApiProperty({ example: '张三' }) @IsString() @IsNotEmpty() @MaxLength(50) name!: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^1\d{10}$/) mobile?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() unitId?: number;
  @ApiPropertyOptional({ type: [IdentityDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IdentityDto)
  identities?: IdentityDto[];
  @ApiPropertyOptional({ type: [RoleDto] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => RoleDto) roles?: RoleDto[];
}

export class RolesDto {
  @ApiProperty({ type: [RoleDto] }) @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => RoleDto) roles!: RoleDto[];
}

export class IdentitiesDto {
  @ApiProperty({ type: [IdentityDto] }) @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => IdentityDto) identities!: IdentityDto[];
}

export class CreateGroupDto {
  @ApiProperty({ enum: PLATFORMS }) @IsIn(PLATFORMS) platform!: Platform;
  @ApiProperty({ description: '钉钉 openConversationId / 企业微信 chatid' }) @IsString() @IsNotEmpty() @MaxLength(128) externalId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() unitId?: number;
  @ApiProperty({ enum: ['unit', 'broadcast', 'supervision'] }) @IsIn(['unit', 'broadcast', 'supervision']) purpose!: 'unit' | 'broadcast' | 'supervision';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) corpId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false }) @MaxLength(500) webhookUrl?: string;
  @ApiPropertyOptional({ description: '自定义机器人加签密钥（SEC…）' }) @IsOptional() @IsString() @MaxLength(128) webhookSecret?: string;
}

export class IssueTokenDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) label?: string;
}

/** Issue 15: what of a unit may change (its id, history and groups stay). */
export class UpdateUnitDto {
  @ApiPropertyOptional({ example: 'FGW', description: '单位编码（Excel 导入按编码对应单位）' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/)
  code?: string;
  @ApiPropertyOptional({ example: '市发展改革委' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) name?: string;
}

/** Issue 15: a person's own facts; roles and accounts have their own routes. */
export class UpdatePersonDto {
  @ApiPropertyOptional({ example: '张三' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: '手机号；null 表示删除' })
  @IsOptional()
  @Matches(/^1\d{10}$/)
  mobile?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '所在单位；调整后，其在原单位的联络员、负责人角色随之调整到新单位' })
  @IsOptional()
  @IsInt()
  unitId?: number | null;
}

/** Issue 15: a group's name, purpose, unit and robot; its platform and chat id are what it is. */
export class UpdateGroupDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) name?: string;
  @ApiPropertyOptional({ enum: ['unit', 'broadcast', 'supervision'] })
  @IsOptional()
  @IsIn(['unit', 'broadcast', 'supervision'])
  purpose?: 'unit' | 'broadcast' | 'supervision';
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'null 表示不属于任何单位（通报群、督查群）' })
  @IsOptional()
  @IsInt()
  unitId?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: '机器人 Webhook 地址；null 表示删除（连同加签密钥）' })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
  @MaxLength(500)
  webhookUrl?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: '自定义机器人加签密钥（SEC…）；null 表示删除' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  webhookSecret?: string | null;
}
