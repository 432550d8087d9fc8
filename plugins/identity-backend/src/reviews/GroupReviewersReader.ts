import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The annotation on a Group that names who reviews access it grants:
 * comma-separated user entity refs (`user:default/jo`, or `jo` in the
 * default namespace).
 */
export const REVIEWERS_ANNOTATION = 'identity-governance.io/reviewers';

/** Reads the reviewers groups name, for assigning campaign items. */
export interface GroupReviewersReader {
  /** The reviewers each group names; groups naming none are left out. */
  read(groupRefs: string[]): Promise<Map<string, string[]>>;
}

/** Parses the annotation; refs that are not users are dropped. */
export function parseReviewers(value: string | undefined): string[] {
  const refs: string[] = [];
  for (const part of (value ?? '').split(',')) {
    const trimmed = part.trim();
    if (!trimmed) {
      continue;
    }
    try {
      const ref = parseEntityRef(trimmed, {
        defaultKind: 'user',
        defaultNamespace: 'default',
      });
      if (ref.kind.toLocaleLowerCase('en-US') === 'user') {
        refs.push(stringifyEntityRef(ref).toLocaleLowerCase('en-US'));
      }
    } catch {
      // A malformed entry names nobody; the others still count.
    }
  }
  return [...new Set(refs)];
}

/**
 * Reads the annotation from the catalog, not the index: the index keeps no
 * group annotations, and the catalog is where the owners edit them.
 */
export class CatalogGroupReviewersReader implements GroupReviewersReader {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  async read(groupRefs: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (!groupRefs.length) {
      return result;
    }
    const { items } = await this.catalog.getEntitiesByRefs(
      {
        entityRefs: groupRefs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    items.forEach((entity, i) => {
      const value = entity?.metadata.annotations?.[REVIEWERS_ANNOTATION];
      const reviewers = parseReviewers(value);
      if (value && !reviewers.length) {
        this.logger.warn(
          `${groupRefs[i]}: ${REVIEWERS_ANNOTATION} names no user entity ref`,
        );
      }
      if (reviewers.length) {
        result.set(groupRefs[i], reviewers);
      }
    });
    return result;
  }
}
