import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OwnershipWrites, ScimClaim, ScimStore } from '../store/ScimStore';
import {
  ScimConflict,
  ScimResourceType,
} from '@identity-governance/plugin-scim-node';
import { scimLocationOf } from '@identity-governance/plugin-scim-node';

const ORIGIN_ANNOTATION = 'backstage.io/managed-by-origin-location';
const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';
/** getEntitiesByRefs answers at most this many refs per request. */
const CATALOG_CHUNK = 500;

/** A SCIM record that wants to emit the entity at `entityRef`. */
export interface OwnershipCandidate {
  entityRef: string;
  idp: string;
  resourceType: ScimResourceType;
  resourceId: string;
}

/** What the provider may emit, and what memberships may name. */
export interface OwnershipDecision {
  /** Refs whose entities are emitted; a record held back is not. */
  emit: Set<string>;
  /**
   * Refs that memberships (`memberOf`, `members`, `children`) may name:
   * emitted, and the catalog's entity at the ref is this IdP's own or there
   * is none yet. An adopted ref whose other entity is still in the catalog
   * is emitted (the catalog keeps the other one until it goes) but not
   * linked, so that no membership lands on the other source's entity.
   */
  link: Set<string>;
}

/**
 * Whether an IdP's `adoptFrom` list names this origin: an entry is either a
 * whole origin (`file:/org/people.yaml`, `scim:okta`) or a location type
 * (`file`, `url`, `ldap`, `msgraph`, `scim`), which names every origin of
 * that type.
 */
export function adoptsFrom(adoptFrom: string[], origin: string): boolean {
  return adoptFrom.some(
    entry =>
      entry === origin ||
      (!entry.includes(':') && origin.startsWith(`${entry}:`)),
  );
}

/**
 * The ownership rule, without I/O: an entity ref that another source
 * provides (the catalog's entity there has another origin) or provided (a
 * conflict or another IdP's claim was recorded) is never claimed silently.
 * The record is held back as a conflict until an admin adopts the ref or the
 * IdP's `adoptFrom` names the other source. A ref no one else provides is
 * claimed, and the claim is remembered.
 */
export function decideOwnership(input: {
  candidates: OwnershipCandidate[];
  /** Origin of the catalog's entity at each ref; refs without one are absent. */
  catalogOrigins: Map<string, string>;
  claims: ScimClaim[];
  conflicts: ScimConflict[];
  adoptFrom: (idp: string) => string[];
}): OwnershipDecision & { writes: OwnershipWrites } {
  const claims = new Map(input.claims.map(c => [c.entityRef, c]));
  const conflicts = new Map(
    input.conflicts.map(c => [`${c.idp}/${c.resourceId}`, c]),
  );
  const writes: OwnershipWrites = {
    claims: [],
    conflicts: [],
    resolved: [],
    stale: [],
    history: [],
  };
  const emit = new Set<string>();
  const link = new Set<string>();
  const seen = new Set<string>();

  for (const candidate of input.candidates) {
    const { entityRef, idp, resourceType, resourceId } = candidate;
    const key = `${idp}/${resourceId}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const record = { idp, resourceType, resourceId, entityRef };
    const own = scimLocationOf(idp);
    const adoptFrom = input.adoptFrom(idp);
    const origin = input.catalogOrigins.get(entityRef);
    const claim = claims.get(entityRef);
    let claimedBy = claim?.idp;
    let adoptedFrom = claim?.idp === idp ? claim.adoptedFrom : undefined;

    const conflict = conflicts.get(key);
    if (conflict && conflict.entityRef !== entityRef) {
      // The record was renamed since: the old conflict no longer applies.
      writes.stale.push({ idp, resourceId });
    } else if (conflict) {
      if (!adoptsFrom(adoptFrom, conflict.otherOrigin)) {
        continue;
      }
      writes.resolved.push({ idp, resourceId });
      writes.claims.push({
        ...record,
        adoptedFrom: conflict.otherOrigin,
        adoptedBy: 'config',
      });
      writes.history.push({
        ...record,
        action: 'adopted',
        details: { from: conflict.otherOrigin, by: 'config' },
      });
      claimedBy = idp;
      adoptedFrom = conflict.otherOrigin;
    }

    let other: string | undefined;
    if (origin !== undefined && origin !== own) {
      other = origin;
    } else if (claimedBy !== undefined && claimedBy !== idp) {
      other = scimLocationOf(claimedBy);
    }
    if (other !== undefined && other !== adoptedFrom) {
      if (!adoptsFrom(adoptFrom, other)) {
        writes.conflicts.push({ ...record, otherOrigin: other });
        writes.history.push({
          ...record,
          action: 'conflict',
          details: { otherOrigin: other },
        });
        continue;
      }
      writes.claims.push({
        ...record,
        adoptedFrom: other,
        adoptedBy: 'config',
      });
      writes.history.push({
        ...record,
        action: 'adopted',
        details: { from: other, by: 'config' },
      });
    } else if (claimedBy !== idp) {
      writes.claims.push(record);
    }
    emit.add(entityRef);
    if (origin === undefined || origin === own) {
      link.add(entityRef);
    }
  }
  return { emit, link, writes };
}

/**
 * Decides, with the catalog and the SCIM store, which SCIM records may be
 * emitted and which refs memberships may name (see {@link decideOwnership}).
 * The catalog is read with the scim plugin's own service credentials; what
 * was decided is stored before the entities are emitted.
 */
export class EntityOwnership {
  constructor(
    private readonly options: {
      store: Pick<ScimStore, 'readOwnership' | 'recordOwnership'>;
      catalog: CatalogService;
      auth: AuthService;
      adoptFrom: (idp: string) => string[];
      logger: LoggerService;
    },
  ) {}

  async decide(candidates: OwnershipCandidate[]): Promise<OwnershipDecision> {
    const entityRefs = [...new Set(candidates.map(c => c.entityRef))];
    const catalogOrigins = await this.readCatalogOrigins(entityRefs);
    const { claims, conflicts } = await this.options.store.readOwnership({
      entityRefs,
      resourceIds: candidates.map(c => c.resourceId),
    });
    const { emit, link, writes } = decideOwnership({
      candidates,
      catalogOrigins,
      claims,
      conflicts,
      adoptFrom: this.options.adoptFrom,
    });
    await this.options.store.recordOwnership(writes);
    for (const c of writes.conflicts) {
      this.options.logger.warn(
        `SCIM ${c.idp} ${c.resourceType} ${c.resourceId} is held back: ${c.entityRef} is or was provided by ${c.otherOrigin}. An admin can adopt it (POST /api/scim/conflicts/${c.idp}/${c.resourceId}/adopt), or list the source in the IdP's adoptFrom`,
      );
    }
    return { emit, link };
  }

  private async readCatalogOrigins(
    entityRefs: string[],
  ): Promise<Map<string, string>> {
    const origins = new Map<string, string>();
    if (!entityRefs.length) {
      return origins;
    }
    const credentials = await this.options.auth.getOwnServiceCredentials();
    for (let i = 0; i < entityRefs.length; i += CATALOG_CHUNK) {
      const chunk = entityRefs.slice(i, i + CATALOG_CHUNK);
      const { items } = await this.options.catalog.getEntitiesByRefs(
        {
          entityRefs: chunk,
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.annotations',
          ],
        },
        { credentials },
      );
      items.forEach((entity, index) => {
        if (entity) {
          const annotations = entity.metadata.annotations ?? {};
          origins.set(
            chunk[index],
            annotations[ORIGIN_ANNOTATION] ??
              annotations[LOCATION_ANNOTATION] ??
              'unknown',
          );
        }
      });
    }
    return origins;
  }
}
