import { IdentityUsersQuery } from './IdentityApi';

/**
 * The query string of `GET /users`, or with `filtersOnly` of
 * `GET /export.csv`, which refuses sort and paging parameters. `status`
 * repeats once per flag.
 */
export function usersQueryParams(
  query: IdentityUsersQuery,
  options: { filtersOnly?: boolean } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.group) params.set('group', query.group);
  if (query.source) params.set('source', query.source);
  for (const flag of query.status ?? []) params.append('status', flag);
  if (options.filtersOnly) return params;
  if (query.sort) params.set('sort', query.sort);
  if (query.order) params.set('order', query.order);
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return params;
}
