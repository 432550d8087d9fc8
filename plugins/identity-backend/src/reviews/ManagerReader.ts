import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_MANAGER,
} from '@identity-governance/plugin-scim-node';

const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';
/** Refs per catalog request: 5,000 people are five requests. */
const BATCH = 1000;

/** Reads each person's manager, for assigning campaign items. */
export interface ManagerReader {
  /**
   * The manager of each of these users that is a user in the catalog now,
   * provisioned by the same source; people without one are left out.
   */
  read(userRefs: string[]): Promise<Map<string, string>>;
}

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

function sourceOf(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const location = annotations[MANAGED_BY_LOCATION];
  return location
    ? `${location} ${annotations[ANNOTATION_SCIM_IDP]}`
    : undefined;
}

function userRefOf(value: string): string | undefined {
  try {
    const ref = parseEntityRef(value.trim(), {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    return ref.kind.toLocaleLowerCase('en-US') === 'user'
      ? stringifyEntityRef(ref).toLocaleLowerCase('en-US')
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the SCIM manager annotation from the catalog when a campaign is
 * created, rather than keeping it in the index: it is read once per
 * campaign, in a few batched requests (two reads of up to 1,000 refs each
 * per 1,000 people), while an index column would cost a migration and a
 * write per user at every refresh. The manager is kept only while its entity
 * is a user in the catalog (SCIM removes deactivated users) with the same
 * managed-by location and IdP as the person: a source can make only its own
 * users reviewers, even if an annotation were written by hand elsewhere.
 */
export class CatalogManagerReader implements ManagerReader {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  private async entities(refs: string[]): Promise<Map<string, Entity>> {
    const found = new Map<string, Entity>();
    const credentials = await this.auth.getOwnServiceCredentials();
    for (let i = 0; i < refs.length; i += BATCH) {
      const batch = refs.slice(i, i + BATCH);
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: batch, fields: FIELDS },
        { credentials },
      );
      items.forEach((entity, j) => {
        if (entity && entity.kind.toLocaleLowerCase('en-US') === 'user') {
          found.set(batch[j], entity);
        }
      });
    }
    return found;
  }

  async read(userRefs: string[]): Promise<Map<string, string>> {
    const people = await this.entities([...new Set(userRefs)]);
    const wanted = new Map<string, string>();
    for (const [ref, entity] of people) {
      const value = entity.metadata.annotations?.[ANNOTATION_SCIM_MANAGER];
      const manager = value ? userRefOf(value) : undefined;
      if (manager && manager !== ref) {
        wanted.set(ref, manager);
      }
    }
    const managers = await this.entities([...new Set(wanted.values())]);
    const result = new Map<string, string>();
    for (const [ref, managerRef] of wanted) {
      const manager = managers.get(managerRef);
      const source = sourceOf(people.get(ref)!);
      if (manager && source && sourceOf(manager) === source) {
        result.set(ref, managerRef);
      }
    }
    return result;
  }
}
