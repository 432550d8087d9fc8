import { mockServices } from '@backstage/backend-test-utils';
import { readMembershipResolverConfig } from './readMembershipResolverConfig';

describe('readMembershipResolverConfig', () => {
  it('has defaults', () => {
    const config = readMembershipResolverConfig(
      mockServices.rootConfig({ data: {} }),
    );
    expect(config.maxDepth).toBe(10);
    expect(config.cacheTtlMs).toBe(5000);
    expect(config.trustedOrigins.restricted).toBe(false);
  });

  it('reads the values', () => {
    const config = readMembershipResolverConfig(
      mockServices.rootConfig({
        data: {
          identityPolicy: {
            membership: { maxDepth: 3, cacheTtlSeconds: 2 },
            trustedOrigins: ['scim'],
          },
        },
      }),
    );
    expect(config).toMatchObject({
      maxDepth: 3,
      cacheTtlMs: 2000,
      staleTtlMs: 60000,
    });
    expect(config.trustedOrigins.isTrusted('scim:okta')).toBe(true);
  });

  it('defaults the grant latency to 60 s, or the cache window when longer', () => {
    const read = (membership: object) =>
      readMembershipResolverConfig(
        mockServices.rootConfig({ data: { identityPolicy: { membership } } }),
      ).staleTtlMs;
    expect(read({})).toBe(60000);
    expect(read({ cacheTtlSeconds: 120 })).toBe(120000);
    expect(read({ grantLatencySeconds: 5 })).toBe(5000);
  });

  it.each([
    [{ maxDepth: -1 }, 'identityPolicy.membership.maxDepth'],
    [{ maxDepth: 1.5 }, 'identityPolicy.membership.maxDepth'],
    [{ cacheTtlSeconds: 0 }, 'identityPolicy.membership.cacheTtlSeconds'],
    [
      { cacheTtlSeconds: 10, grantLatencySeconds: 5 },
      'identityPolicy.membership.grantLatencySeconds',
    ],
  ])('rejects %o naming %s', (membership, key) => {
    expect(() =>
      readMembershipResolverConfig(
        mockServices.rootConfig({ data: { identityPolicy: { membership } } }),
      ),
    ).toThrow(`Invalid config at ${key}`);
  });
});
