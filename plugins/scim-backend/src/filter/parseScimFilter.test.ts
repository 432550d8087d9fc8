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

describe('parseScimFilter limits', () => {
  const nestedNot = (levels: number) =>
    `${'not ('.repeat(levels)}userName pr${')'.repeat(levels)}`;
  const nestedParens = (levels: number) =>
    `${'('.repeat(levels)}userName pr${')'.repeat(levels)}`;
  const invalidFilter = (detail: RegExp) =>
    expect.objectContaining({
      status: 400,
      scimType: 'invalidFilter',
      message: expect.stringMatching(detail),
    });
  const errorOf = (text: string) => {
    try {
      parseScimFilter(text);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('rejects a filter nested about 1,000 levels deep before parsing it', () => {
    expect(errorOf(nestedNot(1000))).toEqual(
      invalidFilter(/longer than 4096 characters/),
    );
    expect(errorOf(nestedParens(1000))).toEqual(
      invalidFilter(/nested more than 32 levels deep/),
    );
    expect(errorOf(`${'not '.repeat(1000)}userName pr`)).toEqual(
      invalidFilter(/nested more than 32 levels deep/),
    );
    expect(errorOf(`emails[${nestedParens(40)}]`)).toEqual(
      invalidFilter(/nested more than 32 levels deep/),
    );
  });

  it('counts parentheses, value filters and not as levels, up to 32', () => {
    expect(() => parseScimFilter(nestedNot(16))).not.toThrow();
    expect(errorOf(nestedNot(17))).toEqual(
      invalidFilter(/nested more than 32 levels deep/),
    );
    expect(() => parseScimFilter(nestedParens(32))).not.toThrow();
    expect(errorOf(nestedParens(33))).toEqual(
      invalidFilter(/nested more than 32 levels deep/),
    );
    expect(() =>
      parseScimFilter(
        `emails[${nestedParens(31)}]`.replace('userName', 'value'),
      ),
    ).not.toThrow();
  });

  it('does not count sibling nots, or parentheses and words inside strings', () => {
    const siblings = Array.from(
      { length: 40 },
      (_, i) => `not (title eq "${i}")`,
    ).join(' and ');
    expect(() => parseScimFilter(siblings)).not.toThrow();
    expect(() =>
      parseScimFilter(`userName eq "${'(not '.repeat(200)}\\" eq"`),
    ).not.toThrow();
  });

  it('limits the length to 4096 characters and the comparisons to 100', () => {
    const value = 'x'.repeat(4096 - 'userName eq ""'.length);
    expect(() => parseScimFilter(`userName eq "${value}"`)).not.toThrow();
    expect(errorOf(`userName eq "${value}x"`)).toEqual(
      invalidFilter(/longer than 4096 characters/),
    );
    const comparisons = (n: number) =>
      Array.from({ length: n }, (_, i) => `title eq "${i}"`).join(' or ');
    expect(() => parseScimFilter(comparisons(100))).not.toThrow();
    expect(errorOf(comparisons(101))).toEqual(
      invalidFilter(/more than 100 comparisons/),
    );
  });
});
