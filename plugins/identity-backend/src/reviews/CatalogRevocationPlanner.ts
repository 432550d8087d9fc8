import { AuthService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ReviewItem,
  ReviewRevocationStep,
} from '@identity-governance/plugin-identity-common';
import {
  parseGroupEntity,
  parseUserEntity,
} from '@identity-governance/plugin-identity-node';
import {
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_USER_NAME,
} from '@identity-governance/plugin-scim-node';
import { deriveSource } from '../indexer/deriveSource';
import { entityRefOf } from '../indexer/toIndexedEntity';
import { CatalogFiles, CatalogFileReader } from './CatalogFileReader';
import { MembershipField } from './indexCatalogFile';
import { RevocationPlanner } from './RevocationPlanner';

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.memberOf',
  'spec.members',
  'spec.parent',
  'spec.children',
  'spec.profile',
];

const providerNames: Record<string, string> = {
  msgraph: 'Microsoft Entra ID (msgraph)',
  okta: 'Okta',
  ldap: 'LDAP',
  github: 'GitHub',
};

/** One entity declaring one link: `value` in its `spec.<field>`. */
interface Declaration {
  entity: Entity;
  ref: string;
  field: MembershipField;
  value: string;
}

function label(entity: Entity | undefined, ref: string): string {
  const profile = (entity?.spec?.profile ?? {}) as Record<string, unknown>;
  const name =
    typeof profile.displayName === 'string'
      ? profile.displayName
      : entity?.metadata.title;
  return name ? `${name} (${ref})` : ref;
}

/** Who declares `from` a member of `to`: either end, or both. */
function declarations(
  from: string,
  to: string,
  entities: Map<string, Entity>,
): Declaration[] {
  const found: Declaration[] = [];
  const fromEntity = entities.get(from);
  const toEntity = entities.get(to);
  const isUser = from.startsWith('user:');
  if (fromEntity) {
    const declared = isUser
      ? parseUserEntity(fromEntity).memberOf
      : parseGroupEntity(fromEntity)?.parents ?? [];
    if (declared.includes(to)) {
      const field = isUser ? 'memberOf' : 'parent';
      found.push({ entity: fromEntity, ref: from, field, value: to });
    }
  }
  const group = toEntity ? parseGroupEntity(toEntity) : undefined;
  if (toEntity && group) {
    const listed = isUser ? group.members : group.children;
    if (listed.includes(from)) {
      const field = isUser ? 'members' : 'children';
      found.push({ entity: toEntity, ref: to, field, value: from });
    }
  }
  return found;
}

function scimStep(
  d: Declaration,
  from: string,
  to: string,
  entities: Map<string, Entity>,
): ReviewRevocationStep {
  const idp = d.entity.metadata.annotations![ANNOTATION_SCIM_IDP];
  const sameIdp = (e: Entity | undefined) =>
    e?.metadata.annotations?.[ANNOTATION_SCIM_IDP] === idp ? e : undefined;
  const member = sameIdp(entities.get(from));
  const group = sameIdp(entities.get(to));
  const memberId = member?.metadata.annotations?.[ANNOTATION_SCIM_ID];
  const groupId = group?.metadata.annotations?.[ANNOTATION_SCIM_ID];
  const memberName = from.startsWith('user:')
    ? `user ${
        member?.metadata.annotations?.[ANNOTATION_SCIM_USER_NAME] ??
        label(member, from)
      }`
    : `group ${label(member, from)}`;
  let change = `Remove ${memberName} from group ${label(group, to)} in ${idp}`;
  if (memberId && groupId) {
    const op = JSON.stringify({
      op: 'remove',
      path: `members[value eq "${memberId}"]`,
    });
    change += `: the IdP sends PATCH /Groups/${groupId} with ${op}`;
  }
  return { kind: 'scim', source: `scim:${idp}`, target: idp, change };
}

async function locationStep(
  d: Declaration,
  files: CatalogFiles,
): Promise<ReviewRevocationStep | undefined> {
  const location = d.entity.metadata.annotations?.[ANNOTATION_LOCATION];
  let ref: { type: string; target: string } | undefined;
  try {
    ref = location ? parseLocationRef(location) : undefined;
  } catch {
    ref = undefined;
  }
  if (!location || (ref?.type !== 'file' && ref?.type !== 'url')) {
    return undefined;
  }
  const change = `Remove ${d.value} from spec.${d.field} of ${d.entity.kind} ${d.ref}`;
  if (ref.type === 'url') {
    return { kind: 'url', source: 'url', target: ref.target, change };
  }
  const line = (await files.declarations(location))
    ?.get(d.ref)
    ?.[d.field]?.find(entry => entry.ref === d.value)?.line;
  return {
    kind: 'file',
    source: 'file',
    target: ref.target,
    ...(line ? { line } : {}),
    change,
  };
}

function otherStep(
  d: Declaration,
  from: string,
  to: string,
  entities: Map<string, Entity>,
): ReviewRevocationStep {
  const source = deriveSource(d.entity);
  const location = d.entity.metadata.annotations?.[ANNOTATION_LOCATION];
  const where =
    providerNames[source] ??
    (location ? `the source of ${location}` : 'the source of the entity');
  return {
    kind: 'other',
    source,
    ...(location ? { target: location } : {}),
    change: `Remove ${label(entities.get(from), from)} from group ${label(
      entities.get(to),
      to,
    )} in ${where}, which provides ${d.ref} (spec.${
      d.field
    }); Backstage shows the change at its next sync`,
  };
}

/**
 * Plans revocations from the catalog as it is when the decision is made:
 * for each link of the item's path, the entities that declare it, and per
 * entity's source what to change there. SCIM facts come from the
 * annotations the SCIM catalog module publishes (scim-node); lines in
 * catalog files from reading the files the catalog reads.
 */
export class CatalogRevocationPlanner implements RevocationPlanner {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly files: CatalogFileReader,
  ) {}

  async plan(
    items: ReviewItem[],
  ): Promise<Map<string, ReviewRevocationStep[]>> {
    const result = new Map<string, ReviewRevocationStep[]>();
    if (!items.length) {
      return result;
    }
    const paths = new Map(
      items.map(i => [i.id, i.path.split(' -> ').map(r => r.trim())]),
    );
    const refs = [...new Set([...paths.values()].flat())];
    const { items: found } = await this.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ENTITY_FIELDS },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const entities = new Map<string, Entity>();
    found.forEach(e => e && entities.set(entityRefOf(e), e));
    const files = await this.files.open();

    for (const item of items) {
      const path = paths.get(item.id)!;
      const steps: ReviewRevocationStep[] = [];
      for (let i = 0; i + 1 < path.length; i++) {
        const [from, to] = [path[i], path[i + 1]];
        const declared = declarations(from, to, entities);
        if (!declared.length) {
          steps.push({
            kind: 'other',
            source: 'catalog',
            change: `No entity in the catalog declares ${from} a member of ${to} any more: nothing left to change for this link`,
          });
        }
        for (const d of declared) {
          let step: ReviewRevocationStep | undefined;
          if (d.entity.metadata.annotations?.[ANNOTATION_SCIM_IDP]) {
            step = scimStep(d, from, to, entities);
          } else {
            step =
              (await locationStep(d, files)) ??
              otherStep(d, from, to, entities);
          }
          if (i > 0) {
            // A link between groups is every member's, not this user's.
            step.change += ` (this removes every member of ${from} from ${to})`;
          }
          steps.push(step);
        }
      }
      // Both ends of a SCIM membership say the same: one step per source.
      const unique = new Map(steps.map(s => [JSON.stringify(s), s]));
      result.set(item.id, [...unique.values()]);
    }
    return result;
  }
}
