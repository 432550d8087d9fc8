import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

// The generator of the demo organisation lives in scripts/ (plain Node, no
// dependencies); it is tested here because this backend ingests its output
// and the drift module completes it with a third directory.
const repoRoot = resolve(__dirname, '../../../../..');
const script = join(repoRoot, 'scripts', 'generate-org.mjs');

type Doc = {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, any>;
};

function generate(outDir: string, ...args: string[]): string {
  return execFileSync(process.execPath, [script, '--out', outDir, ...args], {
    encoding: 'utf8',
  });
}

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map(file => [file, readFileSync(join(dir, file), 'utf8')]),
  );
}

function parse(text: string): Doc[] {
  return parseAllDocuments(text)
    .map(d => d.toJSON())
    .filter(Boolean);
}

describe('scripts/generate-org.mjs', () => {
  let tmp: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(os.tmpdir(), 'generate-org-test-'));
  });

  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('writes byte-identical output for the same arguments', () => {
    generate(join(tmp, 'a', 'org'), '--seed', 'same', '--users', '500');
    generate(join(tmp, 'b', 'org'), '--seed', 'same', '--users', '500');
    generate(join(tmp, 'c', 'org'), '--seed', 'other', '--users', '500');

    const a = readDir(join(tmp, 'a', 'org'));
    expect(Object.keys(a)).toEqual([
      'all.yaml',
      'directory-contractors.yaml',
      'directory-corp.yaml',
      'groups.yaml',
    ]);
    expect(readDir(join(tmp, 'b', 'org'))).toEqual(a);
    expect(readDir(join(tmp, 'c', 'org'))).not.toEqual(a);
  });

  it('matches the committed examples/demo-org (run it after changing it)', () => {
    const out = join(tmp, 'defaults', 'demo-org');
    generate(out);
    expect(readDir(out)).toEqual(
      readDir(join(repoRoot, 'examples', 'demo-org')),
    );
  });

  describe('the demo organisation', () => {
    let files: Record<string, Doc[]>;
    let users: Map<string, Doc>;
    let groups: Map<string, Doc>;
    const ancestors = (group: string): string[] => {
      const parent = groups.get(group)?.spec.parent;
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    beforeAll(() => {
      const out = join(tmp, 'demo', 'demo-org');
      generate(out);
      files = Object.fromEntries(
        Object.entries(readDir(out)).map(([file, text]) => [file, parse(text)]),
      );
      const all = Object.values(files).flat();
      users = new Map(
        all.filter(e => e.kind === 'User').map(e => [e.metadata.name, e]),
      );
      groups = new Map(
        all.filter(e => e.kind === 'Group').map(e => [e.metadata.name, e]),
      );
    });

    it('has the default size', () => {
      expect(users.size).toBe(300);
      expect(groups.size).toBe(40);
    });

    it('nests groups org -> departments -> teams -> squads', () => {
      expect(groups.get('org')?.spec).toMatchObject({ type: 'organization' });
      expect(groups.get('org')?.spec.parent).toBeUndefined();
      for (const group of groups.values()) {
        expect(group.spec).toMatchObject({
          type: expect.any(String),
          profile: { displayName: expect.any(String) },
          children: [],
        });
      }
      for (const group of [...groups.values()].filter(
        g => g.metadata.name !== 'org',
      )) {
        expect(groups.has(group.spec.parent)).toBe(true);
        expect(ancestors(group.metadata.name).at(-1)).toBe('org');
      }
      const depth = Math.max(
        ...[...groups.keys()].map(g => ancestors(g).length),
      );
      expect(depth).toBeGreaterThanOrEqual(3);
      const types = new Set([...groups.values()].map(g => g.spec.type));
      expect(types).toEqual(
        new Set(['organization', 'department', 'team', 'squad']),
      );
    });

    it('has the admin groups, the nested admin group and sre', () => {
      expect(groups.get('platform-admins')?.spec.type).toBe('team');
      expect(groups.get('platform-admins-emea')?.spec.parent).toBe(
        'platform-admins',
      );
      expect(groups.get('sre')?.spec.type).toBe('team');
    });

    it('has the named users with the memberships tests rely on', () => {
      const memberOf = (name: string) => users.get(name)?.spec.memberOf;
      expect(memberOf('ada.admin')).toEqual(['platform-admins']);
      expect(memberOf('nina.nested')).toEqual(['platform-admins-emea']);
      expect(memberOf('sam.sre')).toEqual(['sre']);
      expect(memberOf('lonely.user')).toEqual([]);

      const [oscarGroup, ...rest] = memberOf('oscar.ordinary');
      expect(rest).toEqual([]);
      expect(groups.get(oscarGroup)?.spec.type).toBe('squad');
      expect(ancestors(oscarGroup)).not.toContain('platform-admins');
      expect(ancestors(oscarGroup)).not.toContain('sre');
    });

    it('has two users from two directories sharing one email', () => {
      const email = (name: string) => users.get(name)?.spec.profile.email;
      expect(email('dana.dup')).toBe('shared.mailbox@example.com');
      expect(email('dave.dup')).toBe('shared.mailbox@example.com');
      const names = (file: string) => files[file].map(e => e.metadata.name);
      expect(names('directory-corp.yaml')).toContain('dana.dup');
      expect(names('directory-contractors.yaml')).toContain('dave.dup');
    });

    it('leaves olive.orphan and eric.error to the drift module', () => {
      // Emitted by two locations they would conflict instead of drifting.
      expect(users.has('olive.orphan')).toBe(false);
      expect(users.has('eric.error')).toBe(false);
      expect(groups.has('finance')).toBe(true);
      expect(groups.has('people')).toBe(true);
    });

    it('gives every user a profile, memberships that exist and a source id', () => {
      for (const user of users.values()) {
        expect(user.spec.profile).toEqual({
          displayName: expect.any(String),
          email: expect.stringContaining('@'),
        });
        for (const group of user.spec.memberOf) {
          expect(groups.has(group)).toBe(true);
        }
      }
      for (const user of files['directory-corp.yaml']) {
        expect(user.metadata.annotations).toHaveProperty([
          'demo-corp.example.com/employee-id',
        ]);
      }
      for (const user of files['directory-contractors.yaml']) {
        expect(user.metadata.annotations).toHaveProperty([
          'contractors.example.com/contract-id',
        ]);
      }
    });
  });

  it('splits a large org into files of at most 5000 entities behind all.yaml', () => {
    const out = join(tmp, 'large', 'org-12k');
    const printed = generate(out, '--users', '12000', '--groups', '60');
    const written = readDir(out);

    const index = parse(written['all.yaml']);
    expect(index).toHaveLength(1);
    expect(index[0]).toMatchObject({
      kind: 'Location',
      metadata: { name: 'org-12k' },
    });
    const targets: string[] = index[0].spec.targets;
    expect(targets.map(t => t.replace('./', '')).sort()).toEqual(
      Object.keys(written)
        .filter(f => f !== 'all.yaml')
        .sort(),
    );
    expect(targets).toContain('./directory-corp-02.yaml');

    let total = 0;
    for (const target of targets) {
      const count = parse(written[target.replace('./', '')]).length;
      expect(count).toBeLessThanOrEqual(5000);
      expect(printed).toContain(target.replace('./', ''));
      total += count;
    }
    expect(total).toBe(12060);
  });
});
