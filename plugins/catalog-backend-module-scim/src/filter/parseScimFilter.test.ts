import {
  parseScimFilter,
  rewriteSubAttributeValuePaths,
} from './parseScimFilter';

describe('parseScimFilter', () => {
  it('rewrites value paths followed by a sub-attribute into one value filter', () => {
    expect(
      rewriteSubAttributeValuePaths('emails[type eq "work"].value eq "a"'),
    ).toBe('emails[(type eq "work") and value eq "a"]');
    expect(
      rewriteSubAttributeValuePaths(
        'emails[type eq "w]x"].value co "a b" and x pr',
      ),
    ).toBe('emails[(type eq "w]x") and value co "a b"] and x pr');
    expect(
      rewriteSubAttributeValuePaths('emails[type eq "work"].value pr'),
    ).toBe('emails[(type eq "work") and value pr]');
    expect(rewriteSubAttributeValuePaths('userName eq "a[b].c eq d"')).toBe(
      'userName eq "a[b].c eq d"',
    );
  });

  it('parses operators and logic case-insensitively with precedence', () => {
    expect(parseScimFilter('a EQ "1" Or b eq "2" AND NOT (c pr)')).toEqual({
      op: 'or',
      filters: [
        { op: 'eq', attrPath: 'a', compValue: '1' },
        {
          op: 'and',
          filters: [
            { op: 'eq', attrPath: 'b', compValue: '2' },
            { op: 'not', filter: { op: 'pr', attrPath: 'c' } },
          ],
        },
      ],
    });
  });

  it('throws invalidFilter on bad syntax', () => {
    expect(() => parseScimFilter('a eq')).toThrow(/Invalid filter/);
    expect(() => parseScimFilter('  ')).toThrow(/empty/);
  });
});
