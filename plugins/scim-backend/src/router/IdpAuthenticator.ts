import { createHash, timingSafeEqual } from 'crypto';
import { ScimIdentityProviderConfig } from '../config/ScimConfig';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Maps a bearer token to the identity provider it belongs to. Tokens are
 * compared as SHA-256 digests with timingSafeEqual, and every provider is
 * checked, so neither the length nor the position of a match leaks through
 * timing.
 */
export class IdpAuthenticator {
  private readonly digests: { name: string; digest: Buffer }[];

  constructor(identityProviders: ScimIdentityProviderConfig[]) {
    this.digests = identityProviders
      .filter(idp => idp.token)
      .map(idp => ({ name: idp.name, digest: digest(idp.token!) }));
  }

  /** Returns the IdP name for an Authorization header, or undefined. */
  authenticate(authorization: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) {
      return undefined;
    }
    const presented = digest(match[1]);
    let found: string | undefined;
    for (const candidate of this.digests) {
      if (timingSafeEqual(presented, candidate.digest) && !found) {
        found = candidate.name;
      }
    }
    return found;
  }
}
