import { withoutRuleId } from '../shared/rule-id-text';
import { toShanghaiIso } from '../shared/shanghai-time';
import { lightOf } from './overdue.rules';
import type { Person } from '../org/person.entity';
import type { Unit } from '../org/unit.entity';
import type { ItemEvent } from './item-event.entity';
import type { ItemUnit } from './item-unit.entity';
import type { Item } from './item.entity';
import { BOARDS, CATEGORIES, OPEN_STATES, RATINGS, SOURCES, STATE_LABELS } from '../shared/vocabulary';

/** B3: green on track, yellow due within 24 h (or past due and never handed over), red = the unit late (A1); closed and archived items show done. */
export const TRAFFIC_LIGHTS = ['green', 'yellow', 'red', 'done'] as const;
export type TrafficLight = (typeof TRAFFIC_LIGHTS)[number];
export const LIGHT_LABELS: Record<TrafficLight, string> = {
  green: '绿灯（正常）',
  yellow: '黄灯（24小时内到期，或已过期限尚未交办）',
  red: '红灯（承办单位逾期未反馈）',
  done: '已办结',
};

/** B3 by the one meaning of overdue (A1): red only when the unit's answer did not come by the deadline. */
export function trafficLight(item: Pick<Item, 'state' | 'deadlineAt' | 'assignedAt' | 'answeredAt' | 'closedAt'>, now: Date): TrafficLight {
  if (!OPEN_STATES.includes(item.state)) return 'done';
  return lightOf(item, now);
}

export interface Directory {
  units: Map<number, Unit>;
  people: Map<number, Person>;
  numbers: Map<number, string>;
}

const ref = <T extends { id: number; name: string }>(m: Map<number, T>, id: number | null) => (id === null ? null : { id, name: m.get(id)?.name ?? `#${id}` });

/** The item as the API shows it: labels in Chinese, instants in +08:00. */
export function itemView(item: Item, units: ItemUnit[], dir: Directory, now: Date) {
  const lead = units.find((u) => u.role === 'lead');
  const unitRef = (u: ItemUnit) => ({ ...ref(dir.units, u.unitId)!, signedAt: toShanghaiIso(u.signedAt) });
  const light = trafficLight(item, now);
  return {
    number: item.number,
    title: item.title,
    content: item.content,
    source: item.source,
    sourceLabel: SOURCES[item.source],
    sourceRef: item.sourceRef,
    board: item.board,
    boardLabel: BOARDS[item.board],
    category: item.category,
    categoryLabel: CATEGORIES[item.category],
    state: item.state,
    stateLabel: STATE_LABELS[item.state],
    owner: ref(dir.people, item.ownerId),
    /** P2, P4: the 立项主体 as an office (科室), any of whose owner-role people may act. */
    ownerOffice: ref(dir.units, item.ownerUnitId ?? null),
    leader: ref(dir.people, item.leaderId),
    leadUnit: lead ? unitRef(lead) : null,
    coUnits: units.filter((u) => u.role === 'co').map(unitRef),
    deadline: toShanghaiIso(item.deadlineAt),
    deadlineSpec: item.deadlineSpec,
    deadlineReason: item.deadlineReason,
    overdue: light === 'red',
    light,
    keySupervision: item.keySupervision,
    servedParty: item.servedParty,
    parentNumber: item.parentId === null ? null : (dir.numbers.get(item.parentId) ?? null),
    decomposed: item.decomposed,
    returnCount: item.returnCount,
    failedClosureAttempts: item.failedClosureAttempts,
    rating: item.rating,
    ratingLabel: item.rating ? RATINGS[item.rating] : null,
    registeredAt: toShanghaiIso(item.registeredAt),
    assignedAt: toShanghaiIso(item.assignedAt),
    closedAt: toShanghaiIso(item.closedAt),
    numberRetiredAt: toShanghaiIso(item.numberRetiredAt),
    archivedAt: toShanghaiIso(item.archivedAt),
  };
}
export type ItemView = ReturnType<typeof itemView>;

export function eventView(e: ItemEvent) {
  return {
    id: e.id,
    type: e.type,
    at: toShanghaiIso(e.at),
    actor: e.actorId === null ? null : { id: e.actorId, name: e.actorName },
    actorName: e.actorName,
    channel: e.channel,
    fromState: e.fromState,
    toState: e.toState,
    fromStateLabel: e.fromState ? STATE_LABELS[e.fromState] : null,
    toStateLabel: e.toState ? STATE_LABELS[e.toState] : null,
    summary: withoutRuleId(e.summary),
    data: e.data,
  };
}
