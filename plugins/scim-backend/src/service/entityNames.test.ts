import {
  groupEntityNameCandidates,
  toEntityName,
  userEntityNameCandidates,
} from './entityNames';

describe('entity names', () => {
  it('makes valid catalog names', () => {
    expect(toEntityName('Platform Team (Readers)', 'group')).toBe(
      'platform_team_readers',
    );
    expect(toEntityName('--José..Núñez--', 'user')).toBe('jose.nunez');
    expect(toEntityName('@@@', 'user')).toBe('user');
    expect(toEntityName('x'.repeat(80), 'user')).toHaveLength(63);
  });

  it('derives user names from userName with a deterministic fallback', () => {
    const id = '2819c223-7f76-453a-919d-413861904646';
    expect(
      userEntityNameCandidates('Alice.Smith@example.com', id, 'local-part'),
    ).toEqual([
      'alice.smith',
      'alice.smith-2819c223',
      'alice.smith-2819c2237f76453a919d413861904646',
    ]);
    expect(
      userEntityNameCandidates('alice@example.com', id, 'user-name')[0],
    ).toBe('alice_example.com');
    for (const name of groupEntityNameCandidates('y'.repeat(100), id)) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^([a-z0-9]+[-_.])*[a-z0-9]+$/);
    }
  });
});
