import {
  parseUsersQueryState,
  serializeUsersQueryState,
} from './usersQueryState';

describe('users query state', () => {
  it('drops values the backend would refuse', () => {
    expect(
      parseUsersQueryState(
        new URLSearchParams(
          'source=nope&status=orphaned&status=nope&sort=uid&order=up&offset=-3&limit=0',
        ),
      ),
    ).toEqual({
      q: undefined,
      group: undefined,
      source: undefined,
      status: ['orphaned'],
      sort: undefined,
      order: undefined,
      offset: 0,
      limit: 25,
    });
  });

  it('round-trips, leaving defaults out of the URL', () => {
    const params =
      'q=ada&source=scim&status=orphaned&status=deactivated&sort=email&order=desc&offset=50&limit=50';
    const state = parseUsersQueryState(new URLSearchParams(params));
    expect(serializeUsersQueryState(state).toString()).toBe(params);
    expect(
      serializeUsersQueryState(
        parseUsersQueryState(new URLSearchParams('limit=25&offset=0')),
      ).toString(),
    ).toBe('');
  });
});
