import path from 'node:path';
import { createTrustedOrigins } from './TrustedOrigins';

describe('createTrustedOrigins', () => {
  it('trusts every origin when no list is configured', () => {
    const origins = createTrustedOrigins(undefined);
    expect(origins.restricted).toBe(false);
    expect(origins.isTrusted('file:/anything.yaml')).toBe(true);
    expect(origins.isTrusted(undefined)).toBe(true);
  });

  it('matches location types, exact origins and prefixes', () => {
    const origins = createTrustedOrigins([
      'scim',
      'url:https://github.com/acme/org/blob/main/org.yaml',
      'file:/srv/identity/*',
    ]);
    expect(origins.restricted).toBe(true);
    expect(origins.isTrusted('scim:entra')).toBe(true);
    expect(origins.isTrusted('SCIM:okta')).toBe(true);
    expect(origins.isTrusted('scimx:okta')).toBe(false);
    expect(
      origins.isTrusted('url:https://github.com/acme/org/blob/main/org.yaml'),
    ).toBe(true);
    expect(
      origins.isTrusted('url:https://github.com/acme/org/blob/main/other.yaml'),
    ).toBe(false);
    expect(origins.isTrusted('file:/srv/identity/users.yaml')).toBe(true);
    expect(origins.isTrusted('file:/srv/identity-evil/users.yaml')).toBe(false);
    expect(origins.isTrusted(undefined)).toBe(false);
    expect(origins.isTrusted('no-colon')).toBe(false);
  });

  it('normalises paths and URLs so ".." cannot escape a prefix', () => {
    const origins = createTrustedOrigins([
      'file:/srv/identity/*',
      'url:https://github.com/acme/*',
    ]);
    expect(origins.isTrusted('file:/srv/identity/../evil/users.yaml')).toBe(
      false,
    );
    expect(
      origins.isTrusted('url:https://github.com/acme/../mallory/org.yaml'),
    ).toBe(false);
    expect(origins.isTrusted('url:https://github.com/acme/org/x.yaml')).toBe(
      true,
    );
  });

  it('resolves relative file origins against the working directory', () => {
    const origins = createTrustedOrigins(['file:../../examples/org.yaml']);
    expect(
      origins.isTrusted(
        `file:${path.resolve(process.cwd(), '../../examples/org.yaml')}`,
      ),
    ).toBe(true);
  });

  it('rejects malformed entries, naming the key', () => {
    expect(() => createTrustedOrigins(['file:/a/*/b'])).toThrow(
      "Invalid config at identityPolicy.trustedOrigins[0]: '*' is only allowed at the end",
    );
    expect(() => createTrustedOrigins(['scim', ' '])).toThrow(
      'identityPolicy.trustedOrigins[1]',
    );
    expect(() => createTrustedOrigins(['not a type'])).toThrow(
      'identityPolicy.trustedOrigins[0]',
    );
  });
});
