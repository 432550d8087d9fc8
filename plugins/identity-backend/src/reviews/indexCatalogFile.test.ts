import { indexCatalogFile } from './indexCatalogFile';

describe('indexCatalogFile', () => {
  it('finds the line of every membership entry, refs resolved as the catalog does', () => {
    const text = [
      'apiVersion: backstage.io/v1alpha1', // 1
      'kind: User',
      'metadata:',
      '  name: Jo',
      'spec:', // 5
      '  memberOf:',
      '    - team-a',
      '    - group:other/team-b',
      '---',
      'kind: Group', // 10
      'metadata:',
      '  name: team-a',
      '  namespace: ops',
      'spec:',
      '  parent: dept', // 15
      '  members: [jo, user:default/kim]',
      '---',
      '{"kind":"User","metadata":{"name":"flow"},"spec":{"memberOf":["x"]}}',
      '---',
      'kind: User', // 20
      'metadata: [not, a, map]',
    ].join('\n');
    const found = indexCatalogFile(text);
    expect(found.get('user:default/jo')).toEqual({
      memberOf: [
        { ref: 'group:default/team-a', line: 7 },
        { ref: 'group:other/team-b', line: 8 },
      ],
    });
    expect(found.get('group:ops/team-a')).toEqual({
      parent: [{ ref: 'group:ops/dept', line: 15 }],
      members: [
        { ref: 'user:ops/jo', line: 16 },
        { ref: 'user:default/kim', line: 16 },
      ],
    });
    expect(found.get('user:default/flow')).toEqual({
      memberOf: [{ ref: 'group:default/x', line: 18 }],
    });
    // The document whose metadata is no map declares nothing.
    expect(found.has('user:default/a')).toBe(false);
  });

  it('counts lines across documents however they start', () => {
    const text = [
      '---', // 1
      'kind: User',
      'metadata: {name: first}',
      'spec: {memberOf: [a]}',
      '--- # the second', // 5
      'kind: User',
      'metadata:',
      '  name: second',
      'spec:',
      '  memberOf:', // 10
      '    - b',
      '--- {kind: User, metadata: {name: third}, spec: {memberOf: [c]}}',
      '...',
      '---',
      'kind: Group', // 15
      'metadata: {name: team}',
      'spec:',
      '  description: |',
      '    not a marker:',
      '    --- inside a block', // 20
      '  members:',
      '    - first',
    ].join('\n');
    const found = indexCatalogFile(text);
    expect(found.get('user:default/first')?.memberOf?.[0].line).toBe(4);
    expect(found.get('user:default/second')?.memberOf?.[0].line).toBe(11);
    expect(found.get('user:default/third')?.memberOf?.[0].line).toBe(12);
    expect(found.get('group:default/team')?.members).toEqual([
      { ref: 'user:default/first', line: 22 },
    ]);
    expect(found.get('User:Default/Second')).toEqual(
      found.get('user:default/second'),
    );
  });

  it('skips documents that do not parse', () => {
    expect(
      indexCatalogFile('kind: User\nmetadata: {name: a\n').has(
        'user:default/a',
      ),
    ).toBe(false);
  });
});
