import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { MembershipSource } from './MembershipSource';

const COMMON_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

/**
 * Reads memberships from the catalog with the calling plugin's own service
 * credentials, asking only for the fields membership needs.
 *
 * @public
 */
export class CatalogMembershipSource implements MembershipSource {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;

  constructor(options: { catalog: CatalogService; auth: AuthService }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
  }

  async loadGroups(): Promise<Entity[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const groups: Entity[] = [];
    for await (const page of this.#catalog.streamEntities(
      {
        filter: { kind: 'Group' },
        fields: [
          ...COMMON_FIELDS,
          'spec.parent',
          'spec.children',
          'spec.members',
        ],
        pageSize: 1000,
      },
      { credentials },
    )) {
      groups.push(...page);
    }
    return groups;
  }

  async loadUsers(
    userEntityRefs: string[],
  ): Promise<Array<Entity | undefined>> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntitiesByRefs(
      {
        entityRefs: userEntityRefs,
        fields: [...COMMON_FIELDS, 'spec.memberOf'],
      },
      { credentials },
    );
    return items.map(item =>
      item && item.kind.toLocaleLowerCase('en-US') === 'user'
        ? item
        : undefined,
    );
  }
}
