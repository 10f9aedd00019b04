/**
 * The item page's actions (issue 15): what GET /api/items/{n}/actions offers, which endpoint each button calls with
 * what body, and what the person is told afterwards. The service decides what is offered; this file only carries it out.
 */
import { ApiError, type ApiOptions } from '../../api';
import type { ResponseOf } from '../../api.gen';
import { when } from '../../format';

/** What GET /api/items/{n}/actions answers, as the service describes it (web/src/api.gen.ts). */
export type ItemActions = ResponseOf<'/api/items/{number}/actions', 'get'>;
export type OfferedAction = ItemActions['actions'][number];
export type ActionKey = OfferedAction['action'];

/** `?do=` in the address (chat buttons that cannot carry text link here): the word → the actions it may mean. */
export const DO_WORDS: Record<string, ActionKey[]> = {
  反馈: ['report'],
  延期: ['request_extension'],
  申请延期: ['request_extension'],
  办结: ['request_closure'],
  申请办结: ['request_closure'],
  退回: ['return', 'leader_return'],
  report: ['report'],
  extension: ['request_extension'],
  closure: ['request_closure'],
  return: ['return', 'leader_return'],
};

/** What the word asks for, in the words of the page. */
export const DO_LABELS: Record<string, string> = { report: '反馈进展', request_extension: '申请延期', request_closure: '申请办结', return: '退回' };

/** Actions the phone shows as their own buttons (the rest go under 更多); the first offered is the main one. */
export const PRIMARY: ActionKey[] = ['sign', 'report', 'rate', 'sign_off', 'decide_extension', 'request_closure', 'assign', 'archive', 'submit'];

export type FormValues = Record<string, unknown>;

export interface Command {
  path: string;
  opts: ApiOptions;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The call the button makes. `decision` is the owner's 同意/不同意 on an extension. */
export function commandFor(number: string, a: OfferedAction, v: FormValues, decision?: 'approve' | 'refuse'): Command {
  const base = `/api/items/${encodeURIComponent(number)}`;
  const post = (path: string, body: object = {}): Command => ({ path: `${base}/${path}`, opts: { method: 'POST', body } });
  switch (a.action) {
    case 'decompose':
      // Not a form here: the button opens the 立项 page in 分解立项 mode (ItemPage). Kept for completeness.
      return { path: `/立项?parent=${encodeURIComponent(number)}`, opts: {} };
    case 'sign':
      return post('sign');
    case 'report':
      return post('reports', { content: text(v.content) });
    case 'request_extension':
      return post('extension-requests', {
        newDeadline: `${String(v.newDeadline)}T${a.form?.dayEnd ?? '18:00'}:00+08:00`,
        reason: text(v.reason),
        plan: text(v.plan),
      });
    case 'request_closure':
      return post('closure-request', {
        summary: text(v.summary),
        ...(a.form?.servedParty ? { servedPartyAgreed: v.servedPartyAgreed === 'yes' } : {}),
      });
    case 'withdraw':
      return post('withdraw');
    case 'return':
    case 'leader_return':
      return post('return', { reason: text(v.reason) });
    case 'decide_extension':
      return post(`extension-requests/${a.form?.request?.id}/${decision ?? 'approve'}`, text(v.note) ? { note: text(v.note) } : {});
    case 'verify':
      return post('verify', { method: v.method, passed: v.passed === 'yes', note: text(v.note) });
    case 'rate':
      return post('rate', { rating: v.rating, ...(text(v.comment) ? { comment: text(v.comment) } : {}) });
    case 'sign_off':
      return post('sign-off', text(v.note) ? { note: text(v.note) } : {});
    case 'urge':
      return post('urgings', {
        method: v.method,
        record: text(v.record),
        ...(text(v.contact) ? { contact: text(v.contact) } : {}),
        ...(v.newLimit ? { newLimit: String(v.newLimit) } : {}),
      });
    case 'key_supervision':
      return {
        path: `${base}/key-supervision`,
        opts: {
          method: 'PUT',
          body: { on: !!a.form?.on, reason: text(v.reason), ...(a.form?.on && text(v.requestedBy) ? { requestedBy: text(v.requestedBy) } : {}) },
        },
      };
    case 'reassign': {
      const body: Record<string, unknown> = { reason: text(v.reason) };
      for (const k of ['ownerId', 'leaderId', 'leadUnitId'] as const) if (typeof v[k] === 'number') body[k] = v[k];
      if (Array.isArray(v.coUnitIds) && v.changeCo === true) body.coUnitIds = v.coUnitIds;
      return post('reassign', body);
    }
    case 'submit':
      return post('submit');
    case 'assign':
      return post('assign');
    case 'archive':
      return post('archive');
  }
}

interface Answer {
  deadline?: string | null;
  ratingLabel?: string | null;
  result?: { kind?: string; status?: string; failedAttempts?: number; verificationAllowed?: boolean; by?: string };
}

/** What happened and what comes next, said after a success. */
export function doneMessage(a: OfferedAction, v: FormValues, answer: Answer, decision?: 'approve' | 'refuse'): string {
  switch (a.action) {
    case 'sign':
      return '已签收。请按期办理，并通过「反馈进展」报送办理情况。';
    case 'report':
      return '反馈已报送，已告知立项主体。请继续按期办理，全部完成后申请办结。';
    case 'request_extension':
      return '延期申请已提交，等待立项主体审批，结果会通知您；审批前请仍按原期限办理。';
    case 'request_closure':
      if (answer.result?.status === 'failed_agreement')
        return `已记录服务对象不同意办结（第 ${answer.result.failedAttempts ?? 1} 次）。请继续办理，取得服务对象同意后再申请办结。`;
      return '办结申请已提交，等待立项主体审核评定，评定后报分管领导审定。';
    case 'withdraw':
      return answer.result?.kind === 'extension'
        ? '延期申请已撤回。如仍需延期，可修改后重新申请。'
        : '办结申请已撤回，事项回到办理中。补充材料后可重新申请办结。';
    case 'return':
      return '已退回，主办单位会收到退回理由，须按要求重新办理、报送。';
    case 'leader_return':
      return '已退回主办单位继续办理，立项主体也已获知。主办单位重新申请办结、立项主体评定后，会再报您审定。';
    case 'decide_extension':
      return decision === 'refuse' ? '已不同意延期，已通知主办单位按原期限办理。' : `已同意延期，办理期限改为 ${when(answer.deadline)}，已通知主办单位。`;
    case 'verify':
      return v.passed === 'yes' ? '核验通过，事项进入审核，请评定。' : '核验未通过，事项回到主办单位继续办理。';
    case 'rate':
      return v.rating === 'fail' ? '已评定为不合格，事项退回主办单位重办，主办单位会收到通知。' : `已评定为「${answer.ratingLabel ?? ''}」，已报分管领导审定。`;
    case 'sign_off':
      return '已审定，事项办结销号，已通知各承办单位。之后由督查室或立项主体归档。';
    case 'urge':
      return v.method === 'letter' || v.method === 'rectify' ? '催办已记入一事一卷，主办单位已收到通知。' : '催办已记入一事一卷。';
    case 'key_supervision':
      return a.form?.on ? '已列入重点督办，主办单位会收到通知。' : '已取消重点督办，记入一事一卷。';
    case 'reassign':
      return '已调整，调整理由已记入一事一卷；新的承办单位会收到交办通知。';
    case 'submit':
      return '已提交立项，下一步请交办。';
    case 'assign':
      return '已交办，交办卡片正在推送到各承办单位的群，请等待签收。';
    case 'archive':
      return '已归档，一事一卷已封存，可随时导出。';
    case 'decompose':
      return '已分解立项，请在各子事项上交办。';
  }
}

/**
 * Which form field an API refusal is about. Validation errors name it in `problems`; the commands' own refusals name it
 * in their code (e.g. EXTENSION.PLAN_REQUIRED).
 */
const CODE_FIELDS: [RegExp, string][] = [
  [/^REPORT\./, 'content'],
  [/^CLOSURE\.SUMMARY/, 'summary'],
  [/^CLOSURE\.AGREEMENT/, 'servedPartyAgreed'],
  [/^EXTENSION\.(TOO_LATE|NOT_LATER)/, 'newDeadline'],
  [/^EXTENSION\.REASON/, 'reason'],
  [/^EXTENSION\.PLAN/, 'plan'],
  [/^EXTENSION\.NOTE/, 'note'],
  [/^RETURN\./, 'reason'],
  [/^URGING\.CONTACT/, 'contact'],
  [/^URGING\.RECORD/, 'record'],
  [/^URGING\.(LIMIT|BAD_LIMIT)/, 'newLimit'],
  [/^KEY_SUPERVISION\.REASON/, 'reason'],
];

export function fieldErrors(e: unknown, fields: string[]): { name: string; errors: string[] }[] {
  if (!(e instanceof ApiError)) return [];
  const found = (e.problems ?? []).filter((p) => p.field && fields.includes(p.field)).map((p) => ({ name: p.field!, errors: [p.message ?? e.message] }));
  if (found.length) return found;
  const byCode = CODE_FIELDS.find(([re, f]) => re.test(e.code) && fields.includes(f));
  return byCode ? [{ name: byCode[1], errors: [e.message] }] : [];
}
