import path from 'node:path';
import { createDirectories, createTrustedOrigins } from './TrustedOrigins';

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

  it('reads file targets as the catalog does: backslashes separate, globs expand', () => {
    const origins = createTrustedOrigins(['file:/srv/identity/*']);
    // glob (windowsPathsNoEscape) reads this as /srv/identity/../../etc/x.yaml
    expect(origins.isTrusted('file:/srv/identity/..\\..\\etc\\x.yaml')).toBe(
      false,
    );
    expect(origins.isTrusted('file:/srv/identity\\users.yaml')).toBe(true);
    // Starts with the prefix, but the braces read a file outside it.
    expect(
      origins.isTrusted('file:/srv/identity/{users,../../tmp/evil}.yaml'),
    ).toBe(false);
    expect(origins.isTrusted('file:/srv/identity/*.yaml')).toBe(false);
    // A configured pattern matches itself only.
    const exact = createTrustedOrigins(['file:/srv/identity/[ab].yaml']);
    expect(exact.isTrusted('file:/srv/identity/[ab].yaml')).toBe(true);
    expect(exact.isTrusted('file:/srv/identity/a.yaml')).toBe(false);
  });

  it('validates directories, naming each problem', () => {
    expect(() =>
      createDirectories([
        { name: 'hr', origins: ['file:/srv/*'], grantsInto: ['nope'] },
        { name: 'hr', origins: [] },
      ]),
    ).toThrow(
      /'hr' is defined twice[\s\S]*list at least one origin[\s\S]*grantsInto\[0\]: no directory named 'nope'/,
    );
    const dirs = createDirectories([
      { name: 'hr', origins: ['file:/srv/hr/*'] },
      { name: 'entra', origins: ['scim:entra'], grantsInto: ['hr'] },
    ]);
    expect(dirs.directoryOf('file:/srv/hr/a.yaml')).toBe('hr');
    expect(dirs.directoryOf('scim:okta')).toBeUndefined();
    expect(dirs.mayGrant('entra', 'hr')).toBe(true);
    expect(dirs.mayGrant('hr', 'entra')).toBe(false);
  });
});
