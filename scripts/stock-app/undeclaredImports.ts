/*
 * The packages a packed tarball's code imports without declaring them. In
 * the stock app such an import usually works anyway, because another
 * package hoisted the dependency to the top of node_modules; in an app
 * without that package it fails at startup. So the check reads the code.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const IMPORT = /(?:require\(|\bfrom\s+|\bimport\(\s*)["']([^"']+)["']/g;

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function codeFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return codeFiles(file);
    }
    return /\.(c|m)?js$/.test(entry.name) ? [file] : [];
  });
}

/**
 * `packageDir` is an unpacked tarball (its `package/` folder). Returns each
 * undeclared package with a file that imports it.
 */
export function undeclaredImports(packageDir: string): string[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
  );
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const missing = new Map<string, string>();
  const files = [
    ...codeFiles(path.join(packageDir, 'dist')),
    ...codeFiles(path.join(packageDir, 'migrations')),
  ];
  for (const file of files) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1];
      if (specifier.startsWith('.') || specifier.startsWith('node:')) {
        continue;
      }
      const name = packageOf(specifier);
      if (!builtinModules.includes(name) && !declared.has(name)) {
        missing.set(name, path.relative(packageDir, file));
      }
    }
  }
  return [...missing].map(([name, file]) => `${name} (imported by ${file})`);
}
