import { act, renderHook } from '@testing-library/react';
import { ReactNode } from 'react';
import {
  MemoryRouter,
  useLocation,
  useNavigate,
  useNavigationType,
} from 'react-router-dom';
import { useUsersQueryState } from './useUsersQueryState';
import { UsersQueryState } from './usersQueryState';

function setup(initialUrl: string) {
  const onUpdate = jest.fn<void, [UsersQueryState]>();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[initialUrl]}>{children}</MemoryRouter>
  );
  const hook = renderHook(
    () => ({
      handle: useUsersQueryState(onUpdate),
      location: useLocation(),
      navigationType: useNavigationType(),
      navigate: useNavigate(),
    }),
    { wrapper },
  );
  return { ...hook, onUpdate };
}

describe('useUsersQueryState', () => {
  it('shows a search at once and writes it to the URL only when asked', () => {
    const { result, onUpdate } = setup('/users?offset=50&source=scim');

    act(() => result.current.handle.update({ q: 'olive' }));

    expect(result.current.handle.state).toMatchObject({
      q: 'olive',
      source: 'scim',
      offset: 0,
    });
    expect(onUpdate).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'olive', source: 'scim', offset: 0 }),
    );
    expect(result.current.location.search).toBe('?offset=50&source=scim');

    act(() => result.current.handle.syncSearchToUrl());

    expect(result.current.location.search).toBe('?q=olive&source=scim');
    expect(result.current.navigationType).toBe('REPLACE');
    expect(result.current.handle.state).toMatchObject({
      q: 'olive',
      offset: 0,
    });
  });

  it('keeps a search typed while its predecessor is being written to the URL', () => {
    const { result } = setup('/users?source=scim');

    act(() => result.current.handle.update({ q: 'ma' }));
    act(() => {
      // The next key lands after the page asked for the URL to take the
      // search, before the page renders with that URL.
      result.current.handle.syncSearchToUrl();
      result.current.handle.update({ q: 'mar' });
    });

    expect(result.current.location.search).toBe('?q=ma&source=scim');
    expect(result.current.handle.state).toMatchObject({ q: 'mar' });

    act(() => result.current.handle.syncSearchToUrl());

    expect(result.current.location.search).toBe('?q=mar&source=scim');
    expect(result.current.handle.state).toMatchObject({ q: 'mar' });
  });

  it('keeps taking searches when another navigation overtakes its URL write', () => {
    const { result } = setup('/users?source=scim');

    act(() => result.current.handle.update({ q: 'ma' }));
    act(() => {
      result.current.handle.syncSearchToUrl();
      result.current.navigate('/users?source=file');
    });
    expect(result.current.location.search).toBe('?source=file');

    act(() => result.current.handle.update({ q: 'olive' }));

    expect(result.current.handle.state).toMatchObject({
      q: 'olive',
      source: 'file',
    });
    act(() => result.current.handle.syncSearchToUrl());
    expect(result.current.location.search).toBe('?q=olive&source=file');
  });

  it('does nothing to the URL when no search is held back', () => {
    const { result } = setup('/users?q=ada');
    const before = result.current.location;

    act(() => result.current.handle.syncSearchToUrl());

    expect(result.current.location).toBe(before);
  });

  it('keeps a held-back search when a filter changes', () => {
    const { result, onUpdate } = setup('/users?q=ada');

    act(() => result.current.handle.update({ q: 'olive' }));
    act(() => result.current.handle.update({ source: 'file' }));

    expect(result.current.location.search).toBe('?q=olive&source=file');
    expect(result.current.navigationType).toBe('PUSH');
    expect(result.current.handle.state).toMatchObject({
      q: 'olive',
      source: 'file',
    });
    expect(onUpdate).toHaveBeenLastCalledWith(
      expect.objectContaining({ q: 'olive', source: 'file' }),
    );
  });

  it('drops a held-back search when the URL changes under it', () => {
    const { result } = setup('/users?q=ada');

    act(() => result.current.handle.update({ q: 'olive' }));
    act(() => result.current.navigate('/users?group=group:default/sre'));

    expect(result.current.handle.state.q).toBeUndefined();
    expect(result.current.handle.state.group).toBe('group:default/sre');
    const before = result.current.location;
    act(() => result.current.handle.syncSearchToUrl());
    expect(result.current.location).toBe(before);
  });

  it('clears the search when the box is emptied', () => {
    const { result } = setup('/users?q=ada');

    act(() => result.current.handle.update({ q: '' }));
    expect(result.current.handle.state.q).toBeUndefined();

    act(() => result.current.handle.syncSearchToUrl());
    expect(result.current.location.search).toBe('');
  });

  it('keeps the page for paging, and goes back to the first otherwise', () => {
    const { result } = setup('/users?offset=25');

    act(() => result.current.handle.update({ offset: 50 }));
    expect(result.current.handle.state.offset).toBe(50);

    act(() => result.current.handle.update({ sort: 'email' }));
    expect(result.current.handle.state.offset).toBe(0);
    expect(result.current.location.search).toBe('?sort=email');
  });
});
