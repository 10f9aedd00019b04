import { useCallback, useEffect, useState } from 'react';
import type { FormInstance } from 'antd';
import { api, ApiError, messageOf } from '../../api';
import { useSession } from '../../session';
import { ROLE_LABELS } from '../../../../src/shared/vocabulary';

/** The directory as /api/units, /api/people, /api/groups answer it. */
export interface Unit {
  id: number;
  code: string;
  name: string;
  coordinatingLeaderId: number | null;
  /** false: retired (停用) — kept for its history, given no new item. */
  active: boolean;
}
export type Platform = 'dingtalk' | 'wecom';
export type Role = keyof typeof ROLE_LABELS;
export interface Identity {
  id: number;
  platform: Platform;
  corpId: string;
  externalUserId: string;
}
export interface Person {
  id: number;
  name: string;
  mobile: string | null;
  unitId: number | null;
  active: boolean;
  identities: Identity[];
  roles: { role: Role; unitId: number | null }[];
}
export type Purpose = 'unit' | 'broadcast' | 'supervision';
export interface Group {
  id: number;
  platform: Platform;
  corpId: string;
  externalId: string;
  name: string;
  unitId: number | null;
  purpose: Purpose;
  hasWebhook: boolean;
}
/** One line of a unit's, person's or group's change record. */
export interface OrgChange {
  id: number;
  action: string;
  summary: string;
  byName: string;
  at: string;
}
/** A page of people as GET /api/people?page= answers it. */
export interface PeoplePage {
  total: number;
  page: number;
  pageSize: number;
  items: Person[];
}
export type PeopleStatus = 'active' | 'retired' | 'all';
export const PEOPLE_STATUS: Record<PeopleStatus, string> = { active: '在职', retired: '已停用', all: '全部' };

export interface Token {
  id: number;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export const PLATFORMS: Record<Platform, string> = { dingtalk: '钉钉', wecom: '企业微信' };
export const PURPOSES: Record<Purpose, string> = { unit: '单位群', broadcast: '通报群', supervision: '督查群' };
/** The words of the import template and the grant rules' refusals (督查员, 领导, 联络员 …). */
export const ROLES: Record<Role, string> = ROLE_LABELS;
/** Roles held for one unit: the unit is asked for with them. */
export const UNIT_ROLES: Role[] = ['unit_contact', 'unit_head'];
/** Roles only an administrator grants (src/org/grant.rules.ts). */
export const PRIVILEGED: Role[] = ['admin', 'supervisor', 'owner', 'leader'];

export const options = <K extends string>(o: Record<K, string>) => (Object.keys(o) as K[]).map((value) => ({ value, label: o[value] }));

/**
 * Puts an API refusal next to the fields it is about: validation problems name their field (`identities.0.externalUserId`),
 * domain refusals are known by their code. What fits no field is returned for an alert above the form.
 */
export function showErrors(form: FormInstance, e: unknown, byCode: Record<string, string> = {}, byField: Record<string, string> = {}): string | null {
  if (!(e instanceof ApiError)) return '出现意外错误，请刷新页面后重试。';
  const fields = form.getFieldsValue(true) as Record<string, unknown>;
  const known = (f: string | undefined) => (f && f in fields ? f : undefined);
  const errors = new Map<string, string[]>();
  const add = (field: string, message: string) => errors.set(field, [...(errors.get(field) ?? []), message]);
  const leftOver: string[] = [];
  for (const p of e.problems ?? []) {
    const path = p.field ?? '';
    const field = byField[path.split('.')[0]] ?? known(path.split('.')[0]) ?? byField[path.split('.').pop() ?? ''];
    if (field && p.message) add(field, p.message);
    else if (p.message) leftOver.push(p.message);
  }
  if (!e.problems?.length) {
    const field = byCode[e.code];
    if (field) add(field, e.message);
    else return e.message;
  }
  form.setFields([...errors].map(([name, errs]) => ({ name, errors: errs })));
  if (leftOver.length) return leftOver.join('；');
  return errors.size ? null : e.message;
}

/** A list from the API, loaded again when `path` changes or `reload()` is called. */
export function useList<T>(path: string | null): { data: T[]; loading: boolean; error: string | null; reload: () => void } {
  return useFetched<T[]>(path, []);
}

/** Anything from the API (a list, a page), loaded again when `path` changes or `reload()` is called. */
export function useFetched<T>(path: string | null, empty: T): { data: T; loading: boolean; error: string | null; reload: () => void } {
  const [data, setData] = useState<T>(empty);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    api<T>(path, { signal: ctl.signal })
      .then(setData)
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setError(messageOf(e));
      })
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [path, n]);
  return { data, loading, error, reload: useCallback(() => setN((x) => x + 1), []) };
}

/** Whether the signed-in person is an administrator (the admin token, or the admin role). */
export function useIsAdmin(): boolean {
  const { me } = useSession();
  return Boolean(me && (me.isAdmin || me.roles.includes('admin')));
}
