import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CatalogFileReader } from './CatalogFileReader';

const userFile = (name: string) =>
  `kind: User\nmetadata:\n  name: ${name}\nspec:\n  memberOf:\n    - team\n`;

function location(spec: object, own?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: 'l',
      ...(own
        ? { annotations: { 'backstage.io/managed-by-location': own } }
        : {}),
    },
    spec: spec as Entity['spec'],
  };
}

describe('CatalogFileReader', () => {
  const dir = createMockDirectory();

  function reader(locations: Entity[]) {
    const getEntities = jest.fn(async () => ({ items: locations }));
    const catalog = { getEntities } as unknown as CatalogService;
    return {
      getEntities,
      files: new CatalogFileReader(
        catalog,
        mockServices.auth(),
        mockServices.logger.mock(),
      ),
    };
  }

  beforeEach(() => {
    dir.setContent({
      'org/people.yaml': userFile('jo'),
      'org/teams/more.yaml': userFile('kim'),
      'secret.yaml': userFile('eve'),
    });
  });

  it('reads files a catalog location points to, relative targets included', async () => {
    const { files, getEntities } = reader([
      location({ type: 'file', target: dir.resolve('org/people.yaml') }),
      // A Location read from a file names others relative to that file.
      location(
        { targets: ['./teams/more.yaml'] },
        `file:${dir.resolve('org/people.yaml')}`,
      ),
    ]);
    const session = await files.open();
    const people = await session.declarations(
      `file:${dir.resolve('org/people.yaml')}`,
    );
    expect(people?.get('user:default/jo')?.memberOf).toEqual([
      { ref: 'group:default/team', line: 6 },
    ]);
    const more = await session.declarations(
      `file:${dir.resolve('org/teams/more.yaml')}`,
    );
    expect(more?.has('user:default/kim')).toBe(true);
    // The locations are read once for the session.
    expect(getEntities).toHaveBeenCalledTimes(1);
  });

  it('never reads a file only entity data names', async () => {
    const { files } = reader([
      location({ type: 'file', target: dir.resolve('org/people.yaml') }),
      // A url location's target is no file of ours.
      location({ type: 'url', target: dir.resolve('secret.yaml') }),
      // Globs select files the catalog reads; they are not matched here.
      location({ type: 'file', target: dir.resolve('*.yaml') }),
    ]);
    const session = await files.open();
    for (const annotation of [
      `file:${dir.resolve('secret.yaml')}`,
      `file:${dir.resolve('org/../secret.yaml')}`,
      `file:${dir.resolve('org')}/people.yaml/../../secret.yaml`,
      'file:org/people.yaml',
      `url:file://${dir.resolve('org/people.yaml')}`,
      'not a location',
    ]) {
      expect(await session.declarations(annotation)).toBeUndefined();
    }
    // The same file by a path with dots is the same file.
    expect(
      await session.declarations(`file:${dir.resolve('org/./people.yaml')}`),
    ).toBeDefined();
  });
});
