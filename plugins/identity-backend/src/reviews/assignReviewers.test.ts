import { assignReviewers, ReviewerSources } from './assignReviewers';
import { ScopeItem } from './collectScopeItems';

const item = (userRef: string, groupRef?: string): ScopeItem => ({
  userRef,
  access: groupRef ?? 'catalog.entity.delete',
  ...(groupRef ? { groupRef } : {}),
  path: userRef,
  source: 'scim',
});

const sources = (over: Partial<ReviewerSources> = {}): ReviewerSources => ({
  groupReviewers: new Map([['group:default/squad', ['user:default/sam']]]),
  defaultReviewers: ['user:default/dee'],
  admins: ['user:default/ada'],
  creator: 'user:default/cat',
  ...over,
});

const reviewerOf = (items: ScopeItem[], s: ReviewerSources) =>
  assignReviewers(items, s).map(i => i.reviewer);

describe('assignReviewers', () => {
  it("prefers the person's manager over the group's reviewers and defaults", () => {
    const managers = new Map([['user:default/bob', 'user:default/max']]);
    expect(
      reviewerOf(
        [
          item('user:default/bob', 'group:default/squad'),
          item('user:default/bob'),
          item('user:default/eve', 'group:default/squad'),
        ],
        sources({ managers }),
      ),
    ).toEqual(['user:default/max', 'user:default/max', 'user:default/sam']);
  });

  it('falls back to the group, defaults, admins and creator in turn', () => {
    const items = [item('user:default/bob', 'group:default/squad')];
    expect(reviewerOf(items, sources())).toEqual(['user:default/sam']);
    expect(reviewerOf(items, sources({ groupReviewers: new Map() }))).toEqual([
      'user:default/dee',
    ]);
    expect(
      reviewerOf(
        items,
        sources({ groupReviewers: new Map(), defaultReviewers: [] }),
      ),
    ).toEqual(['user:default/ada']);
    expect(
      reviewerOf(
        items,
        sources({
          groupReviewers: new Map(),
          defaultReviewers: [],
          admins: [],
        }),
      ),
    ).toEqual(['user:default/cat']);
  });

  it('never makes a person their own reviewer through the manager rule', () => {
    const managers = new Map([['user:default/bob', 'user:default/bob']]);
    expect(
      reviewerOf(
        [item('user:default/bob', 'group:default/squad')],
        sources({ managers }),
      ),
    ).toEqual(['user:default/sam']);
  });
});
