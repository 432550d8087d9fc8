import {
  IdentitySource,
  identitySources,
  IdentityStatusFlag,
  identityStatusFlags,
  IdentityUserSortField,
  identityUserSortFields,
} from '@identity-governance/plugin-identity-common';
import { IdentityUsersQuery } from '../../api';

/** Rows per page unless the URL says otherwise. */
export const DEFAULT_PAGE_SIZE = 25;
export const PAGE_SIZES = [10, 25, 50, 100];

/** The users table's state, all of it held in the URL so views can be shared. */
export type UsersQueryState = Required<
  Pick<IdentityUsersQuery, 'status' | 'offset' | 'limit'>
> &
  Omit<IdentityUsersQuery, 'status' | 'offset' | 'limit'>;

function oneOf<T extends string>(
  values: readonly T[],
  value: string | null,
): T | undefined {
  return values.find(v => v === value);
}

function nonNegativeInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Reads the table state from the page's query string. Unknown values are
 * dropped rather than sent, so a hand-edited link still renders.
 */
export function parseUsersQueryState(params: URLSearchParams): UsersQueryState {
  const limit = nonNegativeInt(params.get('limit'));
  return {
    q: params.get('q') || undefined,
    group: params.get('group') || undefined,
    source: oneOf<IdentitySource>(identitySources, params.get('source')),
    status: params
      .getAll('status')
      .flatMap(s => oneOf<IdentityStatusFlag>(identityStatusFlags, s) ?? []),
    sort: oneOf<IdentityUserSortField>(
      identityUserSortFields,
      params.get('sort'),
    ),
    order: oneOf<'asc' | 'desc'>(['asc', 'desc'], params.get('order')),
    offset: nonNegativeInt(params.get('offset')) ?? 0,
    limit: limit && limit > 0 ? limit : DEFAULT_PAGE_SIZE,
  };
}

/** Writes the table state back, leaving defaults out to keep links short. */
export function serializeUsersQueryState(
  state: UsersQueryState,
): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.group) params.set('group', state.group);
  if (state.source) params.set('source', state.source);
  for (const flag of state.status) params.append('status', flag);
  if (state.sort) params.set('sort', state.sort);
  if (state.order) params.set('order', state.order);
  if (state.offset) params.set('offset', String(state.offset));
  if (state.limit !== DEFAULT_PAGE_SIZE) {
    params.set('limit', String(state.limit));
  }
  return params;
}
