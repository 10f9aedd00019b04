import { useEffect, useState } from 'react';
import { api, type Ref } from '../../api';

/** A person as GET /api/people lists them. */
export interface PersonRow {
  id: number;
  name: string;
  unitId: number | null;
  active?: boolean;
  roles: { role: string; unitId: number | null }[];
}

export interface Directory {
  units: Ref[];
  people: PersonRow[];
  /** Whether reading the directory failed (the pickers are then empty and say so). */
  failed: boolean;
}

/** The units and people the 立项 pickers choose from, read once per page. */
export function useDirectory(): Directory {
  const [d, setD] = useState<Directory>({ units: [], people: [], failed: false });
  useEffect(() => {
    Promise.all([api<Ref[]>('/api/units'), api<PersonRow[]>('/api/people')])
      .then(([units, people]) => setD({ units, people: people.filter((p) => p.active !== false), failed: false }))
      .catch(() => setD({ units: [], people: [], failed: true }));
  }, []);
  return d;
}

export const withRole = (people: PersonRow[], ...roles: string[]) => people.filter((p) => p.roles.some((r) => roles.includes(r.role)));

/** 「李秘书长（市政府办公室）」: the person and the office they work in (the 立项主体 is the person's office, P4). */
export function personLabel(p: PersonRow, units: Ref[]): string {
  const unit = p.unitId !== null ? units.find((u) => u.id === p.unitId)?.name : undefined;
  return unit ? `${p.name}（${unit}）` : p.name;
}

/** Search by name in a picker. */
export const byName = { optionFilterProp: 'label' } as const;
