import { invalid } from '../../shared/errors';
import { addDaysShanghai, shanghaiInstant } from '../../shared/shanghai-time';
import type { DeadlineSpec, TimeNode } from '../deadline.rules';
import type { ItemFilter } from '../item-queries.service';
import type { ItemListQuery } from './item.dto';

/** C3: exactly one of deadlineNode, deadlineDate, workingDays — or none for the board's default. */
export function deadlineSpec(d: { deadlineNode?: TimeNode; deadlineDate?: string; workingDays?: number }): DeadlineSpec | undefined {
  const given = [d.deadlineNode, d.deadlineDate, d.workingDays].filter((v) => v !== undefined).length;
  if (given > 1) throw invalid('DEADLINE.AMBIGUOUS', '时间节点、截止日期、工作日数只能填一项，请只保留其中一项。', { field: 'deadlineNode' });
  if (d.deadlineNode) return { node: d.deadlineNode };
  if (d.deadlineDate) return { date: d.deadlineDate };
  if (d.workingDays !== undefined) return { workingDays: d.workingDays };
  return undefined;
}

/** Query string → filter; registration dates are Shanghai days, `registeredTo` inclusive. */
export function toFilter(q: ItemListQuery): ItemFilter {
  return {
    ...q,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    registeredFrom: q.registeredFrom ? shanghaiInstant(q.registeredFrom) : undefined,
    registeredTo: q.registeredTo ? addDaysShanghai(q.registeredTo, 1) : undefined,
  };
}
