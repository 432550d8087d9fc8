import { ConfigReader } from '@backstage/config';
import { readIdentityConfig } from './readIdentityConfig';

describe('readIdentityConfig', () => {
  it('applies the defaults', () => {
    expect(readIdentityConfig(new ConfigReader({}))).toEqual({
      refreshInterval: { seconds: 10 },
      refreshTimeout: { minutes: 2 },
      defaultPageSize: 50,
      maxPageSize: 500,
      scimEnabled: true,
    });
  });

  it('reads identity.scim.enabled', () => {
    const config = new ConfigReader({ identity: { scim: { enabled: false } } });
    expect(readIdentityConfig(config).scimEnabled).toBe(false);
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
