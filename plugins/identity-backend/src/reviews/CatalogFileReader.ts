import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CatalogFileDeclarations, indexCatalogFile } from './indexCatalogFile';

/** Larger files are not read: no line for them. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Parsed files kept between decisions, while unchanged. */
const CACHED_FILES = 4;

/** Reads the catalog files that declare memberships, for their lines. */
export interface CatalogFiles {
  /**
   * What the catalog file at `location` (`file:<path>`) declares, or
   * undefined when it is not a file the catalog reads or cannot be read.
   */
  declarations(location: string): Promise<CatalogFileDeclarations | undefined>;
}

function isGlob(target: string): boolean {
  return /[*?[\]{}]/.test(target);
}

/** The file targets of one Location entity, resolved as the catalog does. */
function fileTargets(location: Entity): string[] {
  const spec = (location.spec ?? {}) as Record<string, unknown>;
  const own = location.metadata.annotations?.[ANNOTATION_LOCATION];
  let ownRef: { type: string; target: string } | undefined;
  try {
    ownRef = own ? parseLocationRef(own) : undefined;
  } catch {
    ownRef = undefined;
  }
  const type = typeof spec.type === 'string' ? spec.type : ownRef?.type;
  if (type !== 'file') {
    return [];
  }
  const targets = [
    spec.target,
    ...(Array.isArray(spec.targets) ? spec.targets : []),
  ].filter((t): t is string => typeof t === 'string' && !!t && !isGlob(t));
  return targets.flatMap(target => {
    if (path.isAbsolute(target)) {
      return [path.resolve(target)];
    }
    // Relative targets are relative to the file that holds the Location.
    return ownRef?.type === 'file'
      ? [path.resolve(path.dirname(ownRef.target), target)]
      : [];
  });
}

/**
 * Reads only files the catalog itself reads: the file targets of the
 * catalog's Location entities (those from `catalog.locations` included),
 * compared exactly. The `backstage.io/managed-by-location` annotation that
 * names the file is entity data; a provider could set any path there, so
 * it only selects among files the catalog already reads, never widens them.
 */
export class CatalogFileReader {
  private readonly cache = new Map<
    string,
    { version: string; declarations: CatalogFileDeclarations }
  >();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  /** A reader for one decision: the allowed files are read once. */
  async open(): Promise<CatalogFiles> {
    let allowed: Promise<Set<string>> | undefined;
    return {
      declarations: async location => {
        allowed ??= this.allowedFiles();
        let ref: { type: string; target: string };
        try {
          ref = parseLocationRef(location);
        } catch {
          return undefined;
        }
        if (ref.type !== 'file' || !path.isAbsolute(ref.target)) {
          return undefined;
        }
        const file = path.resolve(ref.target);
        if (!(await allowed).has(file)) {
          this.logger.warn(
            `Not reading ${file} for a revocation: no catalog location points to it`,
          );
          return undefined;
        }
        return this.read(file);
      },
    };
  }

  private async allowedFiles(): Promise<Set<string>> {
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: 'Location' },
        fields: ['kind', 'metadata.annotations', 'spec'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return new Set(items.flatMap(fileTargets));
  }

  private async read(
    file: string,
  ): Promise<CatalogFileDeclarations | undefined> {
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) {
        return undefined;
      }
      const version = `${stat.mtimeMs}:${stat.size}`;
      const cached = this.cache.get(file);
      if (cached?.version === version) {
        return cached.declarations;
      }
      const declarations = indexCatalogFile(await fs.readFile(file, 'utf8'));
      this.cache.delete(file);
      this.cache.set(file, { version, declarations });
      if (this.cache.size > CACHED_FILES) {
        this.cache.delete(this.cache.keys().next().value!);
      }
      return declarations;
    } catch (error) {
      this.logger.warn(
        `Could not read ${file} for a revocation: ${(error as Error).message}`,
      );
      return undefined;
    }
  }
}
