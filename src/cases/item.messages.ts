import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { formatShanghai } from '../shared/shanghai-time';
import { RATINGS } from '../shared/vocabulary';
import { DirectoryCache } from '../org/directory-cache';
import { MessageKinds } from '../outbox/message-kinds';
import type { OutboxMessage } from '../outbox/outbox-message.entity';
import { Item } from './item.entity';
import { Report } from './report.entity';
import { ItemUnit } from './item-unit.entity';
import { Clock } from '../shared/clock';
import { keySupervisionNotice, KeySupervisionOrigin, parseUrgeMethod, urgingNotice } from './urging.rules';
import { extensionTrackText, ExtensionTrack } from './ongoing.rules';

const excerpt = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * The messages an item's commands write (issue 12: each feature composes its own): the item's cards — what they show
 * is built by chat from the item as it is when sent — and its notices, read as the item is NOW.
 */
@Injectable()
export class ItemMessages implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly kinds: MessageKinds,
    private readonly clock: Clock,
    private readonly directory: DirectoryCache,
  ) {}

  onModuleInit(): void {
    this.kinds.card('assignment_card', 'assignment');
    this.kinds.card('review_card', 'review');
    this.kinds.card('approval_card', 'approval');
    // Issue 17: the notices that tell what happened may go out together when several wait for one chat; the formal
    // steps (函询, 限期整改, 重点督办) always go on their own, in full.
    const alone = new Set(['urging_notice', 'key_supervision_notice']);
    const text = (
      kind: string,
      compose: (msg: OutboxMessage, item: Item | null, head: string) => Promise<{ title: string; text: string }> | { title: string; text: string },
    ) =>
      this.kinds.text(
        kind,
        async (msg) => {
          const item = msg.itemId === null ? null : await this.db.getRepository(Item).findOneBy({ id: msg.itemId });
          return compose(msg, item, item ? `${item.number}「${item.title}」` : '');
        },
        { coalesce: !alone.has(kind) },
      );
    text('report_notice', async ({ payload: p }, _item, head) => {
      const report = await this.db.getRepository(Report).findOneBy({ id: Number(p.reportId) });
      // The unit's name from the directory cache (issue 17: a read per notice in the relay).
      const unit = report ? ((await this.directory.units([report.unitId])).get(report.unitId) ?? null) : null;
      // R10: a report of the evening is told the next working morning — then the owner reads when it came.
      const late = report && this.clock.now().getTime() - report.submittedAt.getTime() >= 3600_000;
      const when = late ? `于 ${formatShanghai(report.submittedAt)} ` : '';
      return { title: '督办反馈', text: `【督办反馈】${head}\n${unit?.name ?? ''}${when}反馈：${excerpt(report?.content ?? '')}` };
    });
    text('returned_notice', ({ payload: p }, _item, head) => ({
      title: '督办退回',
      text:
        p.by === 'leader'
          ? `【退回】${head}\n分管领导未予审定，退回继续办理：${String(p.reason ?? '')}\n请按要求继续办理，完成后重新申请办结：/办结 ${_item?.number ?? ''} 办理情况`
          : `【退回】${head}\n${p.rating === 'fail' ? '评定为不合格' : '反馈被退回'}：${String(p.reason ?? '')}\n请按要求修改后重新反馈。`,
    }));
    // Issue 14: the extension request reaches the owner office as a card with 同意延期 / 不同意 (cards.ts extensionCard).
    this.kinds.card('extension_card', 'extension');
    text('request_withdrawn_notice', async ({ payload: p, itemId }, _item, head) => {
      const lead = itemId === null ? null : await this.db.getRepository(ItemUnit).findOneBy({ itemId, role: 'lead' });
      const unit = lead ? ((await this.directory.units([lead.unitId])).get(lead.unitId) ?? null) : null;
      const what = p.kind === 'closure' ? '办结申请' : '延期申请';
      return { title: '撤回申请', text: `【撤回申请】${head}\n${unit?.name ?? '承办单位'}已撤回${what}，无需再审批。` };
    });
    text('leader_returned_notice', ({ payload: p }, item, head) => ({
      title: '分管领导退回',
      text: `【分管领导退回】${head}\n分管领导未予审定，已退回承办单位继续办理。理由：${String(p.reason ?? '')}\n承办单位重新申请办结后，请重新评定：/评定 ${item?.number ?? ''} 等次 意见`,
    }));
    text('extension_decided', ({ payload: p }, item, head) => ({
      title: '延期审批',
      text: `【延期审批】${head}\n${p.approved ? `已同意延期，新期限 ${formatShanghai(item?.deadlineAt)}。${extensionTrackText((p.track as ExtensionTrack) ?? null)}` : `未同意延期：${String(p.note ?? '')}${typeof p.deadline === 'string' ? `\n审批时原期限已不足一个工作日，办理期限调整为 ${formatShanghai(new Date(p.deadline))}，请在此前反馈办理情况或申请办结。` : ''}`}`,
    }));
    text('closure_not_agreed', ({ payload: p }, _item, head) => ({
      title: '办结未获同意',
      text: `【办结未获同意】${head}\n服务对象第 ${String(p.attempts)} 次不同意办结。${p.canVerify ? '可组织专家论证或公众评价。' : ''}`,
    }));
    // R5: a 函询 or a 限期整改 tells the lead unit what to do and by when; entering 重点督办 (by hand or by R5) too.
    text('urging_notice', ({ payload: p }, item, head) => {
      const method = parseUrgeMethod(String(p.method ?? '')) ?? 'letter';
      const notice = urgingNotice({
        method,
        record: String(p.record ?? ''),
        head,
        by: String(p.by ?? '督查室'),
        limit: typeof p.limit === 'string' ? new Date(p.limit) : null,
        deadlineAt: item?.deadlineAt ?? this.clock.now(),
        now: this.clock.now(),
      });
      return notice ?? { title: '督办通知', text: `【督办通知】${head}` };
    });
    text('key_supervision_notice', ({ payload: p }, item, head) => {
      const notice = keySupervisionNotice({
        head,
        origin: (p.origin === 'R5' ? 'R5' : 'office') as KeySupervisionOrigin,
        reason: typeof p.reason === 'string' ? p.reason : null,
        requestedBy: typeof p.requestedBy === 'string' ? p.requestedBy : null,
        deadlineAt: item?.deadlineAt ?? this.clock.now(),
        now: this.clock.now(),
      });
      // Issue 14 (R10): an overdue clue opened in the same moment (a catch-up after downtime) is told here, not apart.
      return typeof p.clueNote === 'string' ? { ...notice, text: `${notice.text}\n${p.clueNote}` } : notice;
    });
    // P2, P4 (issue 13): a reassignment by the 督查室, told to the unit that no longer handles the item and to the new owner or leader.
    text('reassigned_notice', ({ payload: p }, _item, head) => {
      const why = `调整理由：${String(p.reason ?? '')}`;
      if (p.role === 'removed_unit') {
        return { title: '承办调整', text: `【承办调整】${head}\n经督查室调整，贵单位不再承办本事项。${why}\n请将已有材料和进展移交新的承办单位。` };
      }
      const as = p.role === 'owner' ? '立项主体' : '分管领导';
      return { title: '督办调整', text: `【督办调整】${head}\n经督查室调整，本事项的${as}改由您担任。${why}\n请在督办系统中查看事项并跟进办理。` };
    });
    // D2, D3 (issue 14): the unit is told the rating its result was given.
    text('closed_notice', (_msg, item, head) => ({
      title: '办结销号',
      text: `【办结】${head}\n已经分管领导审定办结，${item?.rating ? `办理结果评定为${RATINGS[item.rating]}，` : ''}编号销号。`,
    }));
  }
}
