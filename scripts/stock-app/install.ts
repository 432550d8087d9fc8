/*
 * The steps of scripts/stock-app.sh that read or edit files, as commands:
 *
 *   packages <repo>                        published plugin packages: dir, name, version
 *   check-tarball <tarball> <package dir>  what a packed tarball must hold
 *   resolutions <app> <tarballs> [name=version...]
 *                                          root resolutions of the fresh app
 *   yarn-adds <repo> <tarballs>            the READMEs' `yarn add` lines, to run
 *   apply <repo> <app>                     the READMEs' backend and config steps
 *
 * Run with the repo's TypeScript transform:
 *   node --require @backstage/cli/config/nodeTransform.cjs scripts/stock-app/install.ts ...
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  applyBackendSteps,
  applyConfigSteps,
  discoversFrontendPackages,
} from './applyInstall';
import { InstallSteps, readInstallSteps } from './readmeInstall';
import { undeclaredImports } from './undeclaredImports';

interface PluginPackage {
  dir: string;
  name: string;
  version: string;
  manifest: Record<string, any>;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

function pluginPackages(repo: string): PluginPackage[] {
  const plugins = path.join(repo, 'plugins');
  return fs
    .readdirSync(plugins)
    .filter(dir => fs.existsSync(path.join(plugins, dir, 'package.json')))
    .sort()
    .map(dir => {
      const manifest = readJson(path.join(plugins, dir, 'package.json'));
      return {
        dir: path.join(plugins, dir),
        name: manifest.name,
        version: manifest.version,
        manifest,
      };
    })
    .filter(p => p.manifest.private !== true);
}

function tarballManifest(tarball: string) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
}

/** Our packages' tarballs in a folder, by package name. */
function tarballs(
  folder: string,
): Map<string, { file: string; version: string }> {
  const byName = new Map<string, { file: string; version: string }>();
  for (const file of fs.readdirSync(folder).filter(f => f.endsWith('.tgz'))) {
    const full = path.join(folder, file);
    const manifest = tarballManifest(full);
    byName.set(manifest.name, { file: full, version: manifest.version });
  }
  return byName;
}

/**
 * Fails unless the tarball holds what an install needs: the built code, the
 * config schema the package declares, its database migrations, and a
 * dependency for each package its code imports.
 */
function checkTarball(tarball: string, dir: string) {
  const files = new Set(
    execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(f => f.replace(/^package\//, '')),
  );
  const packed = tarballManifest(tarball);
  const source = readJson(path.join(dir, 'package.json'));
  const problems: string[] = [];
  const has = (prefix: string) => [...files].some(f => f.startsWith(prefix));
  if (!has('dist/')) {
    problems.push('no dist/');
  }
  for (const entry of [packed.main, packed.types].filter(Boolean)) {
    if (!files.has(entry.replace(/^\.\//, ''))) {
      problems.push(`main/types ${entry} is not in it`);
    }
  }
  if (fs.existsSync(path.join(dir, 'config.d.ts'))) {
    // prepack turns config.d.ts into config.schema.json
    const schema = packed.configSchema;
    if (!schema || typeof schema !== 'string' || !files.has(schema)) {
      problems.push(
        `config.d.ts is not packed (configSchema ${JSON.stringify(schema)})`,
      );
    }
  }
  const migrations = path.join(dir, 'migrations');
  if (fs.existsSync(migrations)) {
    for (const file of fs.readdirSync(migrations)) {
      if (!files.has(`migrations/${file}`)) {
        problems.push(`migrations/${file} is missing`);
      }
    }
  }
  for (const [name, range] of Object.entries<string>({
    ...packed.dependencies,
    ...packed.peerDependencies,
  })) {
    if (range.startsWith('workspace:')) {
      problems.push(`dependency ${name}@${range} was not replaced`);
    }
  }
  const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'stock-app-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    for (const missing of undeclaredImports(path.join(unpacked, 'package'))) {
      problems.push(`undeclared dependency ${missing}`);
    }
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    throw new Error(
      `${source.name}: ${path.basename(tarball)}: ${problems.join('; ')}`,
    );
  }
  const schema = packed.configSchema ? `, ${packed.configSchema}` : '';
  const migrationCount = [...files].filter(f =>
    f.startsWith('migrations/'),
  ).length;
  console.log(
    `${source.name}: ${files.size} files, dist${schema}${
      migrationCount ? `, ${migrationCount} migrations` : ''
    }`,
  );
}

/**
 * Root resolutions of the app: the given pins, and each of our packages
 * resolved to its tarball. The latter is how unpublished tarballs are
 * installed: `yarn add <name>@<range>` then resolves to the file, and so do
 * our packages' dependencies on each other.
 */
function setResolutions(app: string, folder: string, pins: string[]) {
  const file = path.join(app, 'package.json');
  const manifest = readJson(file);
  manifest.resolutions = { ...manifest.resolutions };
  for (const pin of pins) {
    const at = pin.lastIndexOf('=');
    manifest.resolutions[pin.slice(0, at)] = pin.slice(at + 1);
  }
  for (const [name, { file: tarball }] of tarballs(folder)) {
    manifest.resolutions[name] = `file:${tarball}`;
  }
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, value] of Object.entries(manifest.resolutions)) {
    console.log(`  ${name}: ${value}`);
  }
}

/**
 * Backend plugins and modules first, then the frontend: the order in which
 * one installs a feature, so that the policy's config block comes before the
 * page's excerpt of it.
 */
const INSTALL_ORDER = [
  'backend-plugin',
  'backend-plugin-module',
  'frontend-plugin',
];
const installRank = (p: PluginPackage) => {
  const rank = INSTALL_ORDER.indexOf(p.manifest.backstage?.role);
  return rank < 0 ? INSTALL_ORDER.length : rank;
};

function installSteps(repo: string): InstallSteps[] {
  const packages = pluginPackages(repo);
  packages.sort((a, b) => installRank(a) - installRank(b));
  return packages.map(p => {
    const readme = path.join(p.dir, 'README.md');
    return readInstallSteps(
      fs.readFileSync(readme, 'utf8'),
      path.relative(repo, readme),
    );
  });
}

/**
 * The `yarn add` lines to run, one per line: workspace, README line, then
 * the arguments. Our packages are not on the registry, so each gets the
 * range of its tarball (`@^0.1.0`, what `yarn add` would write once it is
 * published); the root resolutions point that range at the tarball.
 */
function yarnAdds(repo: string, folder: string) {
  const packed = tarballs(folder);
  const seen = new Set<string>();
  for (const step of installSteps(repo)) {
    for (const add of step.yarnAdds) {
      const key = `${add.cwd} ${add.packages.join(' ')}`;
      if (seen.has(key)) {
        continue; // two READMEs with the same line: a user runs it once
      }
      seen.add(key);
      const args = add.packages.map(name => {
        const tarball = packed.get(name);
        return tarball ? `${name}@^${tarball.version}` : name;
      });
      console.log([add.cwd, add.line, args.join(' ')].join('\t'));
    }
  }
}

function apply(repo: string, app: string) {
  const steps = installSteps(repo);
  for (const step of steps) {
    for (const add of step.libraryAdds) {
      console.log(`  ${step.readme}: not for an app (${add.line})`);
    }
  }

  const indexFile = path.join(app, 'packages/backend/src/index.ts');
  const backend = applyBackendSteps(fs.readFileSync(indexFile, 'utf8'), steps);
  fs.writeFileSync(indexFile, backend.source);
  for (const module of backend.removed) {
    console.log(`  packages/backend/src/index.ts: removed ${module}`);
  }
  for (const module of backend.added) {
    console.log(`  packages/backend/src/index.ts: added ${module}`);
  }

  const configFile = path.join(app, 'app-config.yaml');
  const config = applyConfigSteps(fs.readFileSync(configFile, 'utf8'), steps);
  fs.writeFileSync(configFile, config.source);
  for (const key of config.keys) {
    console.log(`  app-config.yaml: ${key}`);
  }

  // The identity page README, new frontend system: with app.packages: all
  // the plugin is discovered, nothing to add to packages/app/src.
  if (!discoversFrontendPackages(config.source)) {
    throw new Error(
      'app-config.yaml of the stock app does not set app.packages: all; the identity page README assumes it',
    );
  }
  console.log('  packages/app: discovered through app.packages: all');
}

function main([command, ...args]: string[]) {
  switch (command) {
    case 'packages':
      for (const p of pluginPackages(args[0])) {
        console.log([p.dir, p.name, p.version].join('\t'));
      }
      return;
    case 'check-tarball':
      checkTarball(args[0], args[1]);
      return;
    case 'resolutions':
      setResolutions(args[0], args[1], args.slice(2));
      return;
    case 'yarn-adds':
      yarnAdds(args[0], args[1]);
      return;
    case 'apply':
      apply(args[0], args[1]);
      return;
    default:
      throw new Error(`unknown command ${command}`);
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`stock-app: ${(error as Error).message}`);
  process.exit(1);
}
