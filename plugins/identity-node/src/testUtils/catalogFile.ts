import { Entity } from '@backstage/catalog-model';

/**
 * The text of a catalog file holding `entities`, one YAML document each.
 *
 * @public
 */
export function catalogFile(entities: Entity[]): string {
  // YAML is a superset of JSON: one JSON document per entity.
  return entities.map(entity => `---\n${JSON.stringify(entity)}\n`).join('');
}
