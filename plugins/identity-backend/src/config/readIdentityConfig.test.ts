import { ConfigReader } from '@backstage/config';
import { readIdentityConfig } from './readIdentityConfig';

describe('readIdentityConfig', () => {
  it('applies the defaults', () => {
    expect(readIdentityConfig(new ConfigReader({}))).toEqual({
      refreshInterval: { seconds: 10 },
      refreshTimeout: { minutes: 2 },
      staleAfterMs: 300_000,
      maxScanShare: 0.25,
      defaultPageSize: 50,
      maxPageSize: 500,
      scimEnabled: true,
      reviewsMaxItems: 50_000,
      reviewsReminderBeforeMs: 2 * 24 * 3600_000,
    });
  });

  it('reads identity.reviews.reminderBefore and rejects less than a minute', () => {
    const read = (reminderBefore: unknown) =>
      readIdentityConfig(
        new ConfigReader({ identity: { reviews: { reminderBefore } } } as any),
      ).reviewsReminderBeforeMs;
    expect(read({ hours: 6 })).toBe(6 * 3600_000);
    expect(read('P1D')).toBe(24 * 3600_000);
    for (const bad of [{ seconds: 30 }, 'soon']) {
      expect(() => read(bad)).toThrow(
        /Invalid config at 'identity\.reviews\.reminderBefore'/,
      );
    }
  });

  it('reads identity.reviews.maxItems and rejects what is not a whole number from 1', () => {
    const read = (maxItems: unknown) =>
      readIdentityConfig(
        new ConfigReader({ identity: { reviews: { maxItems } } } as any),
      ).reviewsMaxItems;
    expect(read(10)).toBe(10);
    for (const bad of [0, -1, 1.5, 'many', 2_000_000]) {
      expect(() => read(bad)).toThrow(
        /Invalid config at 'identity\.reviews\.maxItems'/,
      );
    }
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

  it('reads identity.refresh.staleAfter, which must be longer than the interval', () => {
    const read = (refresh: object) =>
      readIdentityConfig(new ConfigReader({ identity: { refresh } } as any))
        .staleAfterMs;
    expect(read({ staleAfter: '10m' })).toBe(600_000);
    expect(read({ staleAfter: { seconds: 30 }, interval: '5s' })).toBe(30_000);
    for (const bad of [
      { staleAfter: '5s', interval: '5s' },
      { staleAfter: { seconds: 5 } },
      { staleAfter: 'soon' },
    ]) {
      expect(() => read(bad)).toThrow(
        /Invalid config at 'identity\.refresh\.staleAfter'/,
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
