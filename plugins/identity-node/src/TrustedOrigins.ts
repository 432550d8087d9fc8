import path from 'node:path';
import { InputError } from '@backstage/errors';

/**
 * Decides whether an entity's origin location is trusted to declare
 * memberships.
 *
 * @public
 */
export interface TrustedOrigins {
  /** False when no list is configured: every origin counts. */
  readonly restricted: boolean;
  /** Whether an origin location (`type:target`) is trusted. */
  isTrusted(origin: string | undefined): boolean;
}

type Matcher = (origin: ParsedOrigin) => boolean;

interface ParsedOrigin {
  type: string;
  target: string;
}

/**
 * Builds a {@link TrustedOrigins} from configuration entries.
 *
 * @remarks
 *
 * Three forms, matched against the entity's
 * `backstage.io/managed-by-origin-location` annotation:
 *
 * - `scim`, `msgraph`, `ldap` (no colon): every origin of that location type.
 *   Entity providers label what they emit with their own type (the SCIM
 *   module writes `scim:<idp>`, msgraph `msgraph:<provider>/...`), and the
 *   catalog does not expose provider names on entities, so the type is how a
 *   provider is named here.
 * - `file:../../examples/org.yaml`, `url:https://...`: that exact origin.
 *   `file:` paths are resolved against the working directory, as the catalog
 *   does for `catalog.locations`.
 * - the same with a trailing `*`: every origin starting with it.
 *
 * Origins are normalised before matching (`..` segments in file paths and
 * URLs resolved), so a registered `file:/trusted/dir/../evil.yaml` does not
 * pass for `file:/trusted/dir/*`.
 *
 * @param entries - the configured list; `undefined` trusts every origin
 * @param configKey - named in error messages
 * @public
 */
export function createTrustedOrigins(
  entries: string[] | undefined,
  configKey = 'identityPolicy.trustedOrigins',
): TrustedOrigins {
  if (entries === undefined) {
    return { restricted: false, isTrusted: () => true };
  }
  const matchers = entries.map((entry, index) =>
    parseEntry(entry, `${configKey}[${index}]`),
  );
  return {
    restricted: true,
    isTrusted(origin) {
      const parsed = origin ? splitOrigin(origin) : undefined;
      if (!parsed) {
        return false;
      }
      const normalized = { type: parsed.type, target: normalize(parsed) };
      return matchers.some(match => match(normalized));
    },
  };
}

function parseEntry(entry: string, key: string): Matcher {
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
    return origin => origin.type === type;
  }
  if (star === -1) {
    const target = normalize(parsed);
    return origin => origin.type === parsed.type && origin.target === target;
  }
  const prefixSpec = { type: parsed.type, target: parsed.target.slice(0, -1) };
  let prefix = prefixSpec.target ? normalize(prefixSpec) : '';
  if (prefixSpec.target.endsWith('/') && !prefix.endsWith('/')) {
    prefix = `${prefix}/`;
  }
  return origin =>
    origin.type === parsed.type && origin.target.startsWith(prefix);
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

function normalize({ type, target }: ParsedOrigin): string {
  if (type === 'file') {
    return path.resolve(target);
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
