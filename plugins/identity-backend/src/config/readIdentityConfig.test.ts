import { ConfigReader } from '@backstage/config';
import { readIdentityConfig } from './readIdentityConfig';

describe('readIdentityConfig', () => {
  it('applies the defaults', () => {
    expect(readIdentityConfig(new ConfigReader({}))).toEqual({
      refreshInterval: { seconds: 10 },
      refreshTimeout: { minutes: 2 },
      maxScanShare: 0.25,
      defaultPageSize: 50,
      maxPageSize: 500,
      scimEnabled: true,
    });
  });

  it('reads identity.scim.enabled', () => {
    const config = new ConfigReader({ identity: { scim: { enabled: false } } });
    expect(readIdentityConfig(config).scimEnabled).toBe(false);
  });

  it('reads identity.refresh.maxScanShare and rejects shares outside (0, 1]', () => {
    const read = (maxScanShare: unknown) =>
      readIdentityConfig(
        new ConfigReader({ identity: { refresh: { maxScanShare } } } as any),
      ).maxScanShare;
    expect(read(0.5)).toBe(0.5);
    expect(read(1)).toBe(1);
    for (const bad of [0, -0.1, 1.5, 'half']) {
      expect(() => read(bad)).toThrow(
        /Invalid config at 'identity\.refresh\.maxScanShare'/,
      );
    }
  });

  it('names the offending key', () => {
    expect(() =>
      readIdentityConfig(
        new ConfigReader({ identity: { scim: { enabled: 'maybe' } } }),
      ),
    ).toThrow(/Invalid config at 'identity\.scim\.enabled'/);
    expect(() =>
      readIdentityConfig(
        new ConfigReader({ identity: { pageSize: { max: 0 } } }),
      ),
    ).toThrow(/Invalid config at 'identity\.pageSize\.max'/);
  });
});
