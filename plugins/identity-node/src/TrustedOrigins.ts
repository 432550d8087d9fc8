import path from 'node:path';
import { InputError } from '@backstage/errors';
import { hasMagic } from 'glob';

/**
 * Decides whether an entity's origin location is trusted to declare
 * memberships, and which directory it belongs to.
 *
 * @remarks
 *
 * A directory is a named set of origins that together are one source of
 * identity data (the three files of an HR export, one SCIM identity
 * provider, one msgraph tenant). A membership counts only when the entity
 * declaring it and the group are in the same directory, unless the first
 * directory may grant into the second's groups.
 *
 * @public
 */
export interface TrustedOrigins {
  /** False when nothing is configured: every origin counts, as one directory. */
  readonly restricted: boolean;
  /** Whether an origin location (`type:target`) is in any directory. */
  isTrusted(origin: string | undefined): boolean;
  /** The directory of an origin location; undefined when it is untrusted. */
  directoryOf(origin: string | undefined): string | undefined;
  /**
   * Whether an entity of directory `from` may make its members count in a
   * group of directory `to` (always true for the same directory).
   */
  mayGrant(from: string, to: string): boolean;
}

/**
 * One configured directory.
 */
export interface DirectoryConfig {
  name: string;
  /** Origins, in the forms {@link createTrustedOrigins} documents. */
  origins: string[];
  /** Directories whose groups this directory's entities may grant into. */
  grantsInto?: string[];
}

type Matcher = (origin: ParsedOrigin) => boolean;

interface ParsedOrigin {
  type: string;
  target: string;
  /** A `file:` target holding glob syntax, as written (before normalising). */
  glob?: boolean;
}

/** The directory every origin belongs to when nothing is configured. */
export const UNRESTRICTED_DIRECTORY = '*';

/**
 * Builds a {@link TrustedOrigins} from `identityPolicy.directories` or, for
 * configs written before directories existed, `identityPolicy.trustedOrigins`.
 *
 * @remarks
 *
 * Three forms of origin, matched against the entity's
 * `backstage.io/managed-by-origin-location` annotation:
 *
 * - `scim`, `msgraph`, `ldap` (no colon): every origin of that location type.
 *   Entity providers label what they emit with their own type (the SCIM
 *   module writes `scim:<idp>`, msgraph `msgraph:<provider>/...`), and the
 *   catalog does not expose provider names on entities, so the type is how a
 *   provider is named here. In the legacy `trustedOrigins` list such an entry
 *   makes one directory per provider instance (`scim:entra`, `scim:okta`),
 *   so two identity providers never grant into each other's groups.
 * - `file:../../examples/org.yaml`, `url:https://...`: that exact origin.
 *   `file:` paths are resolved against the working directory, as the catalog
 *   does for `catalog.locations`.
 * - the same with a trailing `*`: every origin starting with it.
 *
 * `file:` targets are read the way the catalog's file reader reads them:
 * with glob, where a backslash is a path separator and `*`, `?`, `[..]`,
 * `{a,b}` expand. So backslashes are turned into slashes before `..` is
 * resolved, and a target holding glob syntax is trusted only when it equals a
 * configured origin exactly: a pattern such as `/trusted/{x,../../evil}.yaml`
 * starts with a trusted prefix but reads files outside it.
 *
 * @public
 */
export function createTrustedOrigins(
  entries: string[] | undefined,
  configKey = 'identityPolicy.trustedOrigins',
): TrustedOrigins {
  if (entries === undefined) {
    return unrestricted();
  }
  const matchers = entries.map((entry, index) => {
    const key = `${configKey}[${index}]`;
    const parsed = parseEntry(entry, key);
    // A bare location type stands for each provider instance of that type.
    const nameOf = parsed.bareType
      ? (origin: ParsedOrigin) => `${origin.type}:${instanceOf(origin)}`
      : () => entry.trim();
    return { match: parsed.match, nameOf };
  });
  return directoriesFrom(
    origin => {
      const m = matchers.find(({ match }) => match(origin));
      return m?.nameOf(origin);
    },
    () => false,
  );
}

/**
 * Builds a {@link TrustedOrigins} from `identityPolicy.directories`; throws
 * an InputError naming the key for every problem.
 */
export function createDirectories(
  directories: DirectoryConfig[],
  configKey = 'identityPolicy.directories',
): TrustedOrigins {
  const problems: string[] = [];
  const names = new Set<string>();
  const matchers: Array<{ name: string; match: Matcher }> = [];
  directories.forEach((dir, i) => {
    const key = `${configKey}[${i}]`;
    if (!/^[A-Za-z0-9][\w.:-]*$/.test(dir.name) || dir.name === '*') {
      problems.push(
        `${key}.name: use letters, digits, '.', ':', '_' or '-', got '${dir.name}'`,
      );
    }
    if (names.has(dir.name)) {
      problems.push(`${key}.name: '${dir.name}' is defined twice`);
    }
    names.add(dir.name);
    if (!dir.origins.length) {
      problems.push(`${key}.origins: list at least one origin`);
    }
    dir.origins.forEach((entry, j) => {
      try {
        matchers.push({
          name: dir.name,
          match: parseEntry(entry, `${key}.origins[${j}]`).match,
        });
      } catch (error) {
        problems.push(
          (error as Error).message.replace(/^Invalid config at /, ''),
        );
      }
    });
  });
  const grants = new Map<string, Set<string>>();
  directories.forEach((dir, i) => {
    (dir.grantsInto ?? []).forEach((target, j) => {
      if (!names.has(target)) {
        problems.push(
          `${configKey}[${i}].grantsInto[${j}]: no directory named '${target}'`,
        );
      }
      let set = grants.get(dir.name);
      if (!set) {
        set = new Set();
        grants.set(dir.name, set);
      }
      set.add(target);
    });
  });
  if (problems.length) {
    throw new InputError(
      `Invalid config at ${configKey}:\n  ${problems.join('\n  ')}`,
    );
  }
  return directoriesFrom(
    origin => matchers.find(({ match }) => match(origin))?.name,
    (from, to) => grants.get(from)?.has(to) ?? false,
  );
}

function unrestricted(): TrustedOrigins {
  return {
    restricted: false,
    isTrusted: () => true,
    directoryOf: () => UNRESTRICTED_DIRECTORY,
    mayGrant: () => true,
  };
}

function directoriesFrom(
  find: (origin: ParsedOrigin) => string | undefined,
  grants: (from: string, to: string) => boolean,
): TrustedOrigins {
  // Every entity of an origin asks the same question: remember the answers.
  const memo = new Map<string, string | undefined>();
  const directoryOf = (origin: string | undefined) => {
    if (!origin) {
      return undefined;
    }
    if (memo.has(origin)) {
      return memo.get(origin);
    }
    const parsed = splitOrigin(origin);
    const name = parsed
      ? find({
          type: parsed.type,
          target: normalize(parsed),
          glob: parsed.type === 'file' && isGlob(parsed.target),
        })
      : undefined;
    if (memo.size > 10_000) {
      memo.clear();
    }
    memo.set(origin, name);
    return name;
  };
  return {
    restricted: true,
    isTrusted: origin => directoryOf(origin) !== undefined,
    directoryOf,
    mayGrant: (from, to) => from === to || grants(from, to),
  };
}

function parseEntry(
  entry: string,
  key: string,
): { match: Matcher; bareType: boolean } {
  const trimmed = entry.trim();
  if (!trimmed) {
    throw new InputError(`Invalid config at ${key}: empty origin`);
  }
  const star = trimmed.indexOf('*');
  if (star !== -1 && star !== trimmed.length - 1) {
    throw new InputError(
      `Invalid config at ${key}: '*' is only allowed at the end, got '${entry}'`,
    );
  }
  const parsed = splitOrigin(trimmed);
  if (!parsed) {
    if (star !== -1 || !/^[A-Za-z0-9][\w.-]*$/.test(trimmed)) {
      throw new InputError(
        `Invalid config at ${key}: expected a location type such as 'scim' or an origin such as 'file:../../examples/org.yaml', got '${entry}'`,
      );
    }
    const type = trimmed.toLocaleLowerCase('en-US');
    return { match: origin => origin.type === type, bareType: true };
  }
  if (star === -1) {
    const target = normalize(parsed);
    const glob = parsed.type === 'file' && isGlob(parsed.target);
    return {
      // A pattern matches only the same pattern: see createTrustedOrigins.
      match: origin =>
        origin.type === parsed.type &&
        origin.target === target &&
        (origin.type !== 'file' || !!origin.glob === glob),
      bareType: false,
    };
  }
  const prefixSpec = { type: parsed.type, target: parsed.target.slice(0, -1) };
  let prefix = prefixSpec.target ? normalize(prefixSpec) : '';
  if (/[/\\]$/.test(prefixSpec.target) && !prefix.endsWith('/')) {
    prefix = `${prefix}/`;
  }
  return {
    match: origin =>
      origin.type === parsed.type &&
      origin.target.startsWith(prefix) &&
      !origin.glob,
    bareType: false,
  };
}

/** `entra` of `scim:entra`, `tenant` of `msgraph:tenant/id` or `ldap://tenant/dn`. */
function instanceOf(origin: ParsedOrigin): string {
  return origin.target.replace(/^\/\//, '').split('/')[0];
}

function splitOrigin(origin: string): ParsedOrigin | undefined {
  const colon = origin.indexOf(':');
  if (colon <= 0) {
    return undefined;
  }
  return {
    type: origin.slice(0, colon).toLocaleLowerCase('en-US'),
    target: origin.slice(colon + 1),
  };
}

function isGlob(target: string): boolean {
  return hasMagic(target.replace(/\\/g, '/'), {
    windowsPathsNoEscape: true,
    // glob expands braces too, which hasMagic ignores by default.
    magicalBraces: true,
  });
}

function normalize({ type, target }: ParsedOrigin): string {
  if (type === 'file') {
    // The catalog globs with windowsPathsNoEscape: a backslash separates.
    return path.resolve(target.replace(/\\/g, '/'));
  }
  if (type === 'url') {
    try {
      return new URL(target).href;
    } catch {
      return target;
    }
  }
  return target;
}
