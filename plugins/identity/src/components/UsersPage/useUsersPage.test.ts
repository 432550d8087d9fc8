import {
  IdentityPage,
  IdentityUser,
} from '@identity-governance/plugin-identity-common';
import { act, renderHook } from '@testing-library/react';
import { useUsersPage } from './useUsersPage';

function deferred() {
  let resolve!: (v: IdentityPage<IdentityUser>) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<IdentityPage<IdentityUser>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The hook for key 'a', with loads whose answers the test gives, by key;
 * `rerender` changes the key.
 */
function renderUsersPage() {
  const loads = new Map<string, ReturnType<typeof deferred>>();
  const load = (key: string) => () => {
    const d = deferred();
    loads.set(key, d);
    return d.promise;
  };
  const { result, rerender } = renderHook(
    ({ key }) => useUsersPage(key, load(key)),
    { initialProps: { key: 'a' } },
  );
  return { loads, result, rerender };
}

const pageOf = (totalItems: number): IdentityPage<IdentityUser> => ({
  items: [],
  totalItems,
  offset: 0,
  limit: 50,
});

describe('useUsersPage', () => {
  it('is loading from the very render that changes the key, and keeps the last page meanwhile', async () => {
    const { loads, result, rerender } = renderUsersPage();
    expect(result.current).toEqual({ loading: true });

    await act(async () => loads.get('a')!.resolve(pageOf(1)));
    expect(result.current).toEqual({ value: pageOf(1), loading: false });

    rerender({ key: 'b' });
    // No render in between: this one already says so.
    expect(result.current).toEqual({ value: pageOf(1), loading: true });

    await act(async () => loads.get('b')!.resolve(pageOf(2)));
    expect(result.current).toEqual({ value: pageOf(2), loading: false });
  });

  it('drops an answer for a key no longer wanted', async () => {
    const { loads, result, rerender } = renderUsersPage();
    rerender({ key: 'b' });
    await act(async () => loads.get('a')!.resolve(pageOf(1)));
    expect(result.current).toEqual({ loading: true });
    await act(async () => loads.get('b')!.resolve(pageOf(2)));
    expect(result.current).toEqual({ value: pageOf(2), loading: false });
  });

  it('reports a failed load, and not while the next key loads', async () => {
    const { loads, result, rerender } = renderUsersPage();
    const failure = new Error('boom');
    await act(async () => loads.get('a')!.reject(failure));
    expect(result.current).toEqual({ error: failure, loading: false });

    rerender({ key: 'b' });
    expect(result.current).toEqual({ loading: true });
    await act(async () => loads.get('b')!.resolve(pageOf(3)));
    expect(result.current).toEqual({ value: pageOf(3), loading: false });
  });
});
