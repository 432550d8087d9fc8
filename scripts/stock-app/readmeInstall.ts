/*
 * Reads the "Install" section of each plugin README: the steps a user
 * follows to add the package to a Backstage app. scripts/stock-app.sh runs
 * exactly these steps in an app fresh from @backstage/create-app, so a README
 * that drifts from what the packages need fails CI.
 */

/** One `yarn --cwd <dir> add <packages...>` line of a README. */
export interface YarnAdd {
  /** The README line, as written. */
  line: string;
  /** The workspace it installs into, e.g. `packages/backend`. */
  cwd: string;
  packages: string[];
}

/** What one README's Install section asks a user to do. */
export interface InstallSteps {
  readme: string;
  /** `yarn add` lines that target the app's own packages. */
  yarnAdds: YarnAdd[];
  /** `yarn add` lines for plugin authors (`plugins/<your-plugin>`). */
  libraryAdds: YarnAdd[];
  /** Modules passed to `backend.add(import(...))` in packages/backend. */
  backendAdds: string[];
  /** Modules whose `backend.add(import(...))` the README says to remove. */
  backendRemovals: string[];
  /** The app-config YAML blocks, in order. */
  configBlocks: string[];
}

const FENCE = /^```(\w*)\s*$/;

interface CodeBlock {
  lang: string;
  text: string;
}

/**
 * The lines of the `## Install` section (up to the next `## ` heading, its
 * `###` subsections included), with fenced code blocks kept whole so that
 * a `## ` inside one does not end the section.
 */
export function installSection(markdown: string): string[] | undefined {
  const lines = markdown.split('\n');
  let inFence = false;
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || !/^##\s/.test(line)) {
      continue;
    }
    if (start >= 0) {
      return lines.slice(start + 1, i);
    }
    if (/^##\s+Install/i.test(line)) {
      start = i;
    }
  }
  return start >= 0 ? lines.slice(start + 1) : undefined;
}

function codeBlocks(lines: string[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let current: { lang: string; lines: string[] } | undefined;
  for (const line of lines) {
    const fence = FENCE.exec(line);
    if (fence && !current) {
      current = { lang: fence[1], lines: [] };
    } else if (fence && current) {
      blocks.push({ lang: current.lang, text: current.lines.join('\n') });
      current = undefined;
    } else if (current) {
      current.lines.push(line);
    }
  }
  return blocks;
}

const YARN_ADD = /^yarn\s+--cwd\s+(\S+)\s+add\s+(.+)$/;
const IMPORT = /import\(\s*['"]([^'"]+)['"]\s*\)/g;

function shellSteps(text: string, readme: string, steps: InstallSteps) {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) {
      continue;
    }
    const match = YARN_ADD.exec(line);
    if (!match) {
      throw new Error(
        `${readme}: Install step '${line}' is not 'yarn --cwd <dir> add <packages>'; teach scripts/stock-app/readmeInstall.ts what it means`,
      );
    }
    const add = { line, cwd: match[1], packages: match[2].split(/\s+/) };
    if (/^packages\/(backend|app)$/.test(add.cwd)) {
      steps.yarnAdds.push(add);
    } else {
      steps.libraryAdds.push(add);
    }
  }
}

function backendSteps(text: string, steps: InstallSteps) {
  for (const line of text.split('\n')) {
    const removal = /^\s*\/\/\s*remove:\s*(.*)$/.exec(line);
    if (removal) {
      for (const m of removal[1].matchAll(IMPORT)) {
        steps.backendRemovals.push(m[1]);
      }
    }
  }
  const code = text
    .split('\n')
    .filter(line => !/^\s*\/\//.test(line))
    .join('\n');
  for (const statement of code.split(/backend\.add\(/).slice(1)) {
    const m = /^\s*import\(\s*['"]([^'"]+)['"]\s*\)/.exec(statement);
    if (m) {
      steps.backendAdds.push(m[1]);
    }
  }
}

/** The install steps of one README. */
export function readInstallSteps(
  markdown: string,
  readme: string,
): InstallSteps {
  const section = installSection(markdown);
  if (!section) {
    throw new Error(`${readme} has no '## Install' section`);
  }
  const steps: InstallSteps = {
    readme,
    yarnAdds: [],
    libraryAdds: [],
    backendAdds: [],
    backendRemovals: [],
    configBlocks: [],
  };
  for (const block of codeBlocks(section)) {
    if (block.lang === 'sh' || block.lang === 'bash') {
      shellSteps(block.text, readme, steps);
    } else if (block.lang === 'ts' && /backend\.add\(/.test(block.text)) {
      backendSteps(block.text, steps);
    } else if (block.lang === 'yaml' || block.lang === 'yml') {
      steps.configBlocks.push(block.text);
    }
    // tsx blocks are the legacy frontend system; the stock app uses the new
    // one, where the README's step is discovery (checked by the caller).
  }
  return steps;
}
