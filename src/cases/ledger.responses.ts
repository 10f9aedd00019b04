import { ApiProperty } from '@nestjs/swagger';
import { ItemFactsView } from './item.responses';

/*
 * The 台账's answer as OpenAPI describes it (issue 15: the console's types come from web/src/api.gen.ts). It only
 * describes what LedgerService.page already returns.
 */

/** One row: the item as the API shows it, and when its latest report came. */
export class LedgerRowView extends ItemFactsView {
  @ApiProperty({ type: String, nullable: true, description: '最近一次反馈时间（北京时间）；尚无反馈为空' }) lastReportAt!: string | null;
}

/** How many items of the whole filter (not just this page) show each light. */
export class LightCountsView {
  @ApiProperty({ description: '绿灯' }) green!: number;
  @ApiProperty({ description: '黄灯（24小时内到期）' }) yellow!: number;
  @ApiProperty({ description: '红灯（逾期）' }) red!: number;
  @ApiProperty({ description: '已办结' }) done!: number;
}

export class LedgerPageView {
  @ApiProperty({ description: '符合筛选条件的事项总数' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: LightCountsView }) lights!: LightCountsView;
  @ApiProperty({ type: [LedgerRowView] }) items!: LedgerRowView[];
}
