/*
 * Applies the code and config steps of the READMEs' Install sections to a
 * fresh app: the `backend.add(import(...))` lines in
 * packages/backend/src/index.ts and the YAML blocks in app-config.yaml, the
 * way a user would paste them.
 */
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import type * as Yaml from 'yaml';
import type { InstallSteps } from './readmeInstall';

// yaml is a dependency of @backstage/cli (a root devDependency), not of the
// repo itself.
const yaml: typeof Yaml = createRequire(
  require.resolve('@backstage/cli/package.json'),
)('yaml');

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const backendAddOf = (module: string) =>
  new RegExp(
    `backend\\.add\\(\\s*import\\(\\s*['"]${escape(
      module,
    )}['"]\\s*\\),?\\s*\\);[ \\t]*\\n?`,
  );

/**
 * The backend's index.ts with the READMEs' modules added before
 * `backend.start()` and the ones they say to replace removed. Returns what
 * changed, for the log.
 */
export function applyBackendSteps(
  indexTs: string,
  steps: InstallSteps[],
): { source: string; added: string[]; removed: string[] } {
  let source = indexTs;
  const added: string[] = [];
  const removed: string[] = [];
  for (const step of steps) {
    for (const module of step.backendRemovals) {
      const pattern = backendAddOf(module);
      if (!pattern.test(source)) {
        throw new Error(
          `${step.readme} says to remove ${module} from packages/backend/src/index.ts, but the stock backend does not add it`,
        );
      }
      source = source.replace(pattern, '');
      removed.push(module);
    }
    for (const module of step.backendAdds) {
      if (!backendAddOf(module).test(source) && !added.includes(module)) {
        added.push(module); // not the permission backend: the stock one has it
      }
    }
  }
  if (added.length > 0) {
    if (!/^backend\.start\(\);/m.test(source)) {
      throw new Error('packages/backend/src/index.ts has no backend.start()');
    }
    const lines = added.map(m => `backend.add(import('${m}'));\n`).join('');
    source = source.replace(
      /^backend\.start\(\);/m,
      `${lines}\nbackend.start();`,
    );
  }
  return { source, added, removed };
}

/**
 * Merges `source` into `target` as a user merging a README block into their
 * app-config.yaml would: maps key by key, lists extended with the items
 * they lack, anything else replaced. The README's nodes are moved over with
 * their comments.
 */
function mergeMap(target: Yaml.YAMLMap, source: Yaml.YAMLMap) {
  for (const pair of source.items) {
    const key = yaml.isScalar(pair.key) ? pair.key.value : pair.key;
    const existing = target.get(key, true);
    if (yaml.isMap(existing) && yaml.isMap(pair.value)) {
      mergeMap(existing, pair.value);
    } else if (yaml.isSeq(existing) && yaml.isSeq(pair.value)) {
      const have = existing.items.map(
        item => yaml.isNode(item) && item.toJSON(),
      );
      for (const item of pair.value.items) {
        const value = yaml.isNode(item) ? item.toJSON() : item;
        if (!have.some(h => isDeepStrictEqual(h, value))) {
          existing.items.push(item);
        }
      }
    } else if (existing === undefined) {
      target.items.push(pair);
    } else {
      target.set(key, pair.value);
    }
  }
}

/**
 * app-config.yaml with the READMEs' YAML blocks merged in. The blocks are
 * first merged into one another; a top-level key the app does not have yet is
 * appended as text, so the stock file keeps its layout and comments, and only
 * a key it has already is merged into its document.
 */
export function applyConfigSteps(
  appConfig: string,
  steps: InstallSteps[],
): { source: string; keys: string[] } {
  const readmes = new yaml.Document(new yaml.YAMLMap());
  const keys: string[] = [];
  for (const step of steps) {
    for (const block of step.configBlocks) {
      const blockDoc = yaml.parseDocument(block);
      if (blockDoc.errors.length > 0 || !yaml.isMap(blockDoc.contents)) {
        throw new Error(
          `${
            step.readme
          }: an Install YAML block is not a YAML map: ${blockDoc.errors.join(
            '; ',
          )}`,
        );
      }
      for (const pair of blockDoc.contents.items) {
        keys.push(`${String(pair.key)} (${step.readme})`);
      }
      mergeMap(readmes.contents as Yaml.YAMLMap, blockDoc.contents);
    }
  }

  const app = yaml.parseDocument(appConfig);
  const appended: string[] = [];
  let merged = false;
  for (const pair of (readmes.contents as Yaml.YAMLMap).items) {
    const key = yaml.isScalar(pair.key) ? pair.key.value : pair.key;
    if (!app.has(key)) {
      const single = new yaml.Document(new yaml.YAMLMap());
      (single.contents as Yaml.YAMLMap).items.push(pair);
      appended.push(single.toString(TO_STRING).replace(/^\n+/, ''));
      continue;
    }
    const before = JSON.stringify(app.toJSON());
    const wrapper = new yaml.YAMLMap();
    wrapper.items.push(pair);
    mergeMap(app.contents as Yaml.YAMLMap, wrapper);
    merged ||= JSON.stringify(app.toJSON()) !== before;
  }
  const base = merged ? app.toString(TO_STRING) : appConfig;
  const source = [base.replace(/\n*$/, '\n'), ...appended].join('\n');
  return { source, keys };
}

/**
 * Whether the app discovers frontend plugins from its dependencies, which is
 * the identity page README's install step for the new frontend system.
 */
export function discoversFrontendPackages(appConfig: string): boolean {
  return yaml.parse(appConfig)?.app?.packages === 'all';
}
