import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GroupVersion, MembershipSource } from './MembershipSource';

const COMMON_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.etag',
  'metadata.annotations',
];

/**
 * Reads memberships from the catalog with the calling plugin's own service
 * credentials, asking only for the fields membership needs.
 */
export class CatalogMembershipSource implements MembershipSource {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;

  constructor(options: { catalog: CatalogService; auth: AuthService }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
  }

  async listGroupVersions(): Promise<GroupVersion[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const versions: GroupVersion[] = [];
    for await (const page of this.#catalog.streamEntities(
      {
        filter: { kind: 'Group' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.etag',
        ],
        pageSize: 1000,
      },
      { credentials },
    )) {
      for (const group of page) {
        versions.push({
          entityRef: stringifyEntityRef(group),
          etag: group.metadata.etag,
        });
      }
    }
    return versions;
  }

  loadGroups(groupEntityRefs: string[]): Promise<Array<Entity | undefined>> {
    return this.#loadByRefs(groupEntityRefs, 'group', [
      'spec.parent',
      'spec.children',
      'spec.members',
    ]);
  }

  loadUsers(userEntityRefs: string[]): Promise<Array<Entity | undefined>> {
    return this.#loadByRefs(userEntityRefs, 'user', ['spec.memberOf']);
  }

  async #loadByRefs(
    entityRefs: string[],
    kind: string,
    specFields: string[],
  ): Promise<Array<Entity | undefined>> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntitiesByRefs(
      { entityRefs, fields: [...COMMON_FIELDS, ...specFields] },
      { credentials },
    );
    return items.map(item =>
      item && item.kind.toLocaleLowerCase('en-US') === kind ? item : undefined,
    );
  }
}
