/**
 * What the unit and the 督查室 read when a clue opens (A1, issue 14). Pure: the clue opener sends them on their own, and
 * the reminders' digest carries an overdue clue's notice in the moment's one message (R10).
 */
export interface ClueNoticeFacts {
  clueNumber: string;
  summary: string;
  /** The item the clue concerns, if any, and whether its unit has signed for it yet (P1: 签收 first). */
  item: { number: string; title: string; signed: boolean } | null;
}

/** To the 督查室: the clue and what it is to do with it. */
export function clueOfficeNotice(c: ClueNoticeFacts): string {
  return `【问题线索】${c.clueNumber}：${c.summary}\n请核实后按程序移交，或不予追究。`;
}

/** What the unit can do about it: answer the item (签收 first when it has not), or explain to the 督查室. */
function nextStep(c: ClueNoticeFacts): string {
  if (!c.item) return '如有正当理由，请及时向督查室说明。';
  if (!c.item.signed) return `贵单位尚未签收，请尽快签收：/签收 ${c.item.number}，并反馈办理情况；如有正当理由，请及时向督查室说明。`;
  return `如已办理，请尽快反馈：/反馈 ${c.item.number}；如有正当理由，请及时向督查室说明。`;
}

/** To the unit, on its own: a clue is a fact to verify, not a punishment (A1), and what it can do. */
export function clueUnitNotice(c: ClueNoticeFacts): string {
  const about = c.item ? `贵单位承办的 ${c.item.number}「${c.item.title}」` : '贵单位';
  return `【问题线索】督查室已就${about}登记问题线索 ${c.clueNumber}：${c.summary}\n督查室将核实情况后按程序处理，问题线索不等于问责。${nextStep(c)}`;
}

/**
 * To the unit, as the tail of what it is told about the item in the same moment (the urge, or the 重点督办 notice), which
 * already says how late it is and asks for the report: the clue and what it means, once.
 */
export function clueUnitTail(c: Pick<ClueNoticeFacts, 'clueNumber'>): string {
  return `督查室已就此登记问题线索 ${c.clueNumber}，将核实情况后按程序处理（问题线索不等于问责）；如有正当理由，请及时向督查室说明。`;
}
