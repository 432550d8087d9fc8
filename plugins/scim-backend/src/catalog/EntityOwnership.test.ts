import { mockServices } from '@backstage/backend-test-utils';
import { ScimClaim } from '../store/ScimStore';
import { ScimConflict } from '@identity-governance/plugin-scim-node';
import {
  EntityOwnership,
  OwnershipCandidate,
  adoptsFrom,
  decideOwnership,
} from './EntityOwnership';

const FILE = 'file:/org/people.yaml';
const user = (
  name: string,
  resourceId = `${name}-id`,
  idp = 'entra',
): OwnershipCandidate => ({
  entityRef: `user:default/${name}`,
  idp,
  resourceType: 'User',
  resourceId,
});
const claim = (ref: string, idp: string, extra: Partial<ScimClaim> = {}) =>
  ({
    entityRef: ref,
    idp,
    resourceType: 'User',
    resourceId: 'x',
    claimedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  } as ScimClaim);
const conflict = (
  candidate: OwnershipCandidate,
  otherOrigin: string,
  entityRef = candidate.entityRef,
): ScimConflict => ({
  ...candidate,
  entityRef,
  otherOrigin,
  detectedAt: '2026-01-01T00:00:00.000Z',
});

function decide(
  candidates: OwnershipCandidate[],
  options: {
    origins?: Record<string, string>;
    claims?: ScimClaim[];
    conflicts?: ScimConflict[];
    adoptFrom?: Record<string, string[]>;
  } = {},
) {
  return decideOwnership({
    candidates,
    catalogOrigins: new Map(Object.entries(options.origins ?? {})),
    claims: options.claims ?? [],
    conflicts: options.conflicts ?? [],
    adoptFrom: idp => options.adoptFrom?.[idp] ?? [],
  });
}

describe('adoptsFrom', () => {
  it('matches whole origins and location types', () => {
    expect(adoptsFrom(['file'], FILE)).toBe(true);
    expect(adoptsFrom([FILE], FILE)).toBe(true);
    expect(adoptsFrom(['file:/org/other.yaml'], FILE)).toBe(false);
    expect(adoptsFrom(['fil'], FILE)).toBe(false);
    expect(adoptsFrom(['url'], FILE)).toBe(false);
    expect(adoptsFrom([], FILE)).toBe(false);
    expect(adoptsFrom(['scim'], 'scim:okta')).toBe(true);
  });
});

describe('decideOwnership', () => {
  it('claims a ref no one provides, and emits and links it', () => {
    const alice = user('alice');
    const result = decide([alice]);
    expect([...result.emit]).toEqual([alice.entityRef]);
    expect([...result.link]).toEqual([alice.entityRef]);
    expect(result.writes.claims).toEqual([
      {
        entityRef: alice.entityRef,
        idp: 'entra',
        resourceType: 'User',
        resourceId: 'alice-id',
      },
    ]);
    expect(result.writes.history).toEqual([]);
  });

  it('emits its own entities without writing anything', () => {
    const alice = user('alice');
    const result = decide([alice], {
      origins: { [alice.entityRef]: 'scim:entra' },
      claims: [claim(alice.entityRef, 'entra')],
    });
    expect([...result.link]).toEqual([alice.entityRef]);
    expect(result.writes).toEqual({
      claims: [],
      conflicts: [],
      resolved: [],
      stale: [],
      history: [],
    });
  });

  it('holds back a ref another source provides, as a conflict with a history entry', () => {
    const oscar = user('oscar');
    const result = decide([oscar], { origins: { [oscar.entityRef]: FILE } });
    expect(result.emit.size).toBe(0);
    expect(result.link.size).toBe(0);
    expect(result.writes.conflicts).toEqual([{ ...oscar, otherOrigin: FILE }]);
    expect(result.writes.history).toEqual([
      { ...oscar, action: 'conflict', details: { otherOrigin: FILE } },
    ]);
    expect(result.writes.claims).toEqual([]);
  });

  it('keeps a recorded conflict after the other source is gone', () => {
    const oscar = user('oscar');
    const result = decide([oscar], {
      conflicts: [conflict(oscar, FILE)],
    });
    expect(result.emit.size).toBe(0);
    expect(result.writes.history).toEqual([]);
    expect(result.writes.claims).toEqual([]);
  });

  it('holds back a ref another SCIM IdP claimed before, even when it is gone', () => {
    const shared = user('shared', 'entra-record');
    const result = decide([shared], {
      claims: [claim(shared.entityRef, 'okta')],
    });
    expect(result.emit.size).toBe(0);
    expect(result.writes.conflicts).toEqual([
      { ...shared, otherOrigin: 'scim:okta' },
    ]);
  });

  it('turns its own claim into a conflict when another source took the ref meanwhile', () => {
    const alice = user('alice');
    const result = decide([alice], {
      origins: { [alice.entityRef]: FILE },
      claims: [claim(alice.entityRef, 'entra')],
    });
    expect(result.emit.size).toBe(0);
    expect(result.writes.conflicts).toEqual([{ ...alice, otherOrigin: FILE }]);
  });

  it('adopts from a source adoptFrom names: emitted, linked only once the other entity is gone', () => {
    const olga = user('olga', 'olga-id', 'okta');
    const adoptFrom = { okta: ['file'] };
    const first = decide([olga], {
      origins: { [olga.entityRef]: FILE },
      adoptFrom,
    });
    expect([...first.emit]).toEqual([olga.entityRef]);
    expect(first.link.size).toBe(0);
    expect(first.writes.claims).toEqual([
      { ...olga, adoptedFrom: FILE, adoptedBy: 'config' },
    ]);
    expect(first.writes.history).toEqual([
      { ...olga, action: 'adopted', details: { from: FILE, by: 'config' } },
    ]);
    const adopted = claim(olga.entityRef, 'okta', { adoptedFrom: FILE });
    const later = decide([olga], {
      origins: { [olga.entityRef]: FILE },
      claims: [adopted],
    });
    expect([...later.emit]).toEqual([olga.entityRef]);
    expect(later.writes.history).toEqual([]);
    const gone = decide([olga], { claims: [adopted] });
    expect([...gone.link]).toEqual([olga.entityRef]);
    // Adopted from one file, not from every source.
    const other = decide([olga], {
      origins: { [olga.entityRef]: 'ldap://corp/uid=olga' },
      claims: [adopted],
    });
    expect(other.emit.size).toBe(0);
  });

  it('resolves a recorded conflict once adoptFrom names its source', () => {
    const oscar = user('oscar');
    const result = decide([oscar], {
      conflicts: [conflict(oscar, FILE)],
      adoptFrom: { entra: [FILE] },
    });
    expect([...result.emit]).toEqual([oscar.entityRef]);
    expect([...result.link]).toEqual([oscar.entityRef]);
    expect(result.writes.resolved).toEqual([
      { idp: 'entra', resourceId: 'oscar-id' },
    ]);
    expect(result.writes.claims).toEqual([
      { ...oscar, adoptedFrom: FILE, adoptedBy: 'config' },
    ]);
  });

  it('drops the conflict of a record renamed since', () => {
    const renamed = user('oscar2', 'oscar-id');
    const result = decide([renamed], {
      conflicts: [conflict(renamed, FILE, 'user:default/oscar')],
    });
    expect(result.writes.stale).toEqual([
      { idp: 'entra', resourceId: 'oscar-id' },
    ]);
    expect([...result.emit]).toEqual([renamed.entityRef]);
  });
});

describe('EntityOwnership', () => {
  it('asks the catalog with its own service credentials, and stores what it decided', async () => {
    const getEntitiesByRefs = jest.fn(async (request: any) => ({
      items: request.entityRefs.map((ref: string) =>
        ref === 'user:default/oscar'
          ? {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: {
                name: 'oscar',
                annotations: {
                  'backstage.io/managed-by-origin-location': FILE,
                },
              },
            }
          : null,
      ),
    }));
    const store = {
      readOwnership: jest.fn(async () => ({ claims: [], conflicts: [] })),
      recordOwnership: jest.fn(async () => {}),
    };
    const auth = mockServices.auth();
    const ownership = new EntityOwnership({
      store,
      catalog: { getEntitiesByRefs } as any,
      auth,
      adoptFrom: () => [],
      logger: mockServices.logger.mock(),
    });
    const decision = await ownership.decide([user('alice'), user('oscar')]);
    expect([...decision.emit]).toEqual(['user:default/alice']);
    expect(getEntitiesByRefs).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: ['user:default/alice', 'user:default/oscar'],
      }),
      {
        credentials: expect.objectContaining({
          principal: { type: 'service', subject: 'plugin:test' },
        }),
      },
    );
    expect(store.recordOwnership).toHaveBeenCalledWith(
      expect.objectContaining({
        conflicts: [{ ...user('oscar'), otherOrigin: FILE }],
      }),
    );
  });

  it('stores nothing when the catalog does not answer', async () => {
    const store = {
      readOwnership: jest.fn(async () => ({ claims: [], conflicts: [] })),
      recordOwnership: jest.fn(async () => {}),
    };
    const ownership = new EntityOwnership({
      store,
      catalog: {
        getEntitiesByRefs: async () => {
          throw new Error('catalog unavailable');
        },
      } as any,
      auth: mockServices.auth(),
      adoptFrom: () => [],
      logger: mockServices.logger.mock(),
    });
    await expect(ownership.decide([user('alice')])).rejects.toThrow(
      'catalog unavailable',
    );
    expect(store.recordOwnership).not.toHaveBeenCalled();
  });
});
