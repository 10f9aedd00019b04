import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { BulletinKind } from './bulletin.rules';
import type { BulletinState } from './bulletin.entity';

/**
 * Issue 15: the shapes of the 通报 API as OpenAPI describes them, so that the console's types are generated from the
 * service (web/src/api.gen.ts, `npm run api:types`) instead of written again by hand.
 */
const KINDS = ['monthly', 'quarterly', 'key_supervision'];
const STATES = ['draft', 'pending_approval', 'approved', 'published'];

export class BulletinTableView {
  @ApiProperty({ description: '表题，如「表3　通报批评事项」' }) caption!: string;
  @ApiProperty({ type: [String], description: '表头' }) headers!: string[];
  @ApiProperty({ type: 'array', items: { type: 'array', items: { type: 'string' } }, description: '各行，每行与表头同宽' }) rows!: string[][];
}

export class BulletinParagraphBlock {
  @ApiProperty({ enum: ['paragraph'] }) type!: 'paragraph';
  @ApiProperty({ description: '段落文字' }) text!: string;
}

export class BulletinTableBlock {
  @ApiProperty({ enum: ['table'] }) type!: 'table';
  @ApiProperty({ type: BulletinTableView }) table!: BulletinTableView;
}

@ApiExtraModels(BulletinParagraphBlock, BulletinTableBlock)
export class BulletinSectionView {
  @ApiProperty({ description: '章节标题，如「三、批评」' }) heading!: string;
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(BulletinParagraphBlock) }, { $ref: getSchemaPath(BulletinTableBlock) }] },
    description: '段落和表格，按先后',
  })
  blocks!: (BulletinParagraphBlock | BulletinTableBlock)[];
}

export class BulletinHighlightsView {
  @ApiProperty({ description: '总体情况（第一章第一段）' }) overview!: string;
  @ApiProperty({ type: [String], description: '推送摘要引用的表扬行' }) praise!: string[];
  @ApiProperty({ description: '表扬表的行数' }) praiseCount!: number;
  @ApiProperty({ type: [String], description: '推送摘要引用的批评行' }) criticism!: string[];
  @ApiProperty({ description: '批评表的行数' }) criticismCount!: number;
  @ApiPropertyOptional({ description: '摘要行由督查室选定（否则按表格生成）' }) edited?: boolean;
}

export class BulletinDraftView {
  @ApiProperty({ enum: KINDS }) kind!: BulletinKind;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) subtitle!: string | null;
  @ApiProperty({ description: '期号，如「2026年第3期」' }) issueLabel!: string;
  @ApiProperty({ description: '发文机关' }) office!: string;
  @ApiProperty({ description: '期间，如「2026年3月」' }) periodLabel!: string;
  @ApiProperty({ type: String, nullable: true, description: '主送机关' }) recipients!: string | null;
  @ApiProperty({ description: '导语' }) intro!: string;
  @ApiProperty({ type: [BulletinSectionView] }) sections!: BulletinSectionView[];
  @ApiProperty({ type: BulletinHighlightsView, description: '推送摘要和审定卡片引用的内容' }) highlights!: BulletinHighlightsView;
}

export class BulletinLinks {
  @ApiProperty({ description: '公开全文页（审定后可打开）' }) fullText!: string;
  @ApiProperty({ description: '公开图表' }) chart!: string;
}

export class BulletinReturn {
  @ApiProperty({ description: '退回的领导' }) by!: string;
  @ApiProperty({ description: '退回时间（北京时间）' }) at!: string;
  @ApiProperty({ description: '退回理由' }) reason!: string;
}

export class BulletinTimelineEntry {
  @ApiProperty({ description: '时间（北京时间）' }) at!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ enum: STATES }) state!: BulletinState;
  @ApiProperty() actor!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() summary!: string;
}

/** One 通报 as the console shows it. */
export class BulletinDetailView {
  @ApiProperty({ description: '编号，如 TB2026-0001' }) number!: string;
  @ApiProperty({ enum: KINDS }) kind!: BulletinKind;
  @ApiProperty() kindLabel!: string;
  @ApiProperty({ description: '期间' }) period!: string;
  @ApiProperty({ description: '期号' }) issue!: string;
  @ApiProperty({ enum: STATES }) state!: BulletinState;
  @ApiProperty() stateLabel!: string;
  @ApiProperty({ description: '督查室改过稿件' }) edited!: boolean;
  @ApiProperty({ type: [Number], nullable: true, description: '推送的工作群' }) groupIds!: number[] | null;
  @ApiProperty({ type: BulletinDraftView }) draft!: BulletinDraftView;
  @ApiProperty({ type: BulletinLinks }) links!: BulletinLinks;
  @ApiProperty({ type: String, nullable: true, description: '审定的领导' }) approvedBy!: string | null;
  @ApiProperty({ description: '审定时间（北京时间；未审定为空）' }) approvedAt!: string;
  @ApiProperty({ description: '印发时间（北京时间；未印发为空）' }) publishedAt!: string;
  @ApiProperty({ description: '提请过审定（此后留存，不能删除）' }) submitted!: boolean;
  @ApiProperty({ type: BulletinReturn, nullable: true, description: '被退回修改时：谁、何时、理由' }) returned!: BulletinReturn | null;
  @ApiProperty({ type: [BulletinTimelineEntry] }) timeline!: BulletinTimelineEntry[];
}

export class BulletinRowView {
  @ApiProperty() number!: string;
  @ApiProperty({ enum: KINDS }) kind!: BulletinKind;
  @ApiProperty() kindLabel!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ type: String, nullable: true }) approvedBy!: string | null;
  @ApiProperty() issue!: string;
  @ApiProperty({ enum: STATES }) state!: BulletinState;
  @ApiProperty() stateLabel!: string;
  @ApiProperty() publishedAt!: string;
}

export class BulletinDifference {
  @ApiProperty({ description: '行号' }) line!: number;
  @ApiProperty({ type: String, nullable: true, description: '存档原稿的这一行' }) archived!: string | null;
  @ApiProperty({ type: String, nullable: true, description: '重新生成的这一行' }) now!: string | null;
}

export class BulletinReproductionView {
  @ApiProperty() number!: string;
  @ApiProperty({ description: '按数据库重新生成，与原稿逐行一致' }) equal!: boolean;
  @ApiProperty({ type: [BulletinDifference], description: '不同的行（最多 20 处）' }) differences!: BulletinDifference[];
}

export class BulletinDeleted {
  @ApiProperty() number!: string;
  @ApiProperty({ description: '已删除' }) deleted!: boolean;
}

export class HighlightLinesDto {
  @ApiProperty({ type: [String], description: '表扬摘要行（最多 20 行）' }) praise!: string[];
  @ApiProperty({ type: [String], description: '批评摘要行（最多 20 行）' }) criticism!: string[];
}

/** PUT …/draft: any of these; checked strictly by bulletin.draft-check. */
export class BulletinDraftEdit {
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) subtitle?: string | null;
  @ApiPropertyOptional() intro?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) recipients?: string | null;
  @ApiPropertyOptional({ type: [BulletinSectionView] }) sections?: BulletinSectionView[];
  @ApiPropertyOptional({ type: HighlightLinesDto, nullable: true, description: '推送摘要行；null 为按表格重新生成' }) highlights?: HighlightLinesDto | null;
  @ApiPropertyOptional({ type: [Number] }) groupIds?: number[];
}
