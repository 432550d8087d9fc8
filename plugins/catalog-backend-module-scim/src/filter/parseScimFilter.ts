import { Filter, parse } from 'scim2-parse-filter';
import { ScimError } from '../service/ScimError';

const COMPARISON = /^(eq|ne|co|sw|ew|gt|ge|lt|le|pr)$/i;

/** Reads a filter value token (quoted string or bare word) starting at i. */
function readValueToken(text: string, start: number): number {
  let i = start;
  if (text[i] === '"') {
    i++;
    while (i < text.length && text[i] !== '"') {
      i += text[i] === '\\' ? 2 : 1;
    }
    return i + 1;
  }
  while (i < text.length && !/[\s)\]]/.test(text[i])) {
    i++;
  }
  return i;
}

/**
 * `emails[type eq "work"].value eq "x"` is not in the RFC 7644 filter grammar,
 * but IdPs and people write it, and it means "one email that is of type work
 * and has value x". scim2-parse-filter parses it as two independent
 * conditions joined by `and` (which could match two different emails), so it
 * is rewritten to the grammatical `emails[(type eq "work") and value eq "x"]`
 * before parsing.
 */
export function rewriteSubAttributeValuePaths(text: string): string {
  let out = '';
  let i = 0;
  let openAt = -1;
  let inString = false;
  while (i < text.length) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\' && i + 1 < text.length) {
        out += text[i + 1];
        i += 2;
        continue;
      }
      if (ch === '"') {
        inString = false;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      inString = true;
    } else if (ch === '[') {
      openAt = out.length;
    } else if (ch === ']' && openAt >= 0) {
      const rest = text.slice(i + 1);
      const match = /^\.([A-Za-z$][\w$-]*)\s+([A-Za-z]{2})\b/.exec(rest);
      if (match && COMPARISON.test(match[2])) {
        const inner = out.slice(openAt + 1);
        let end = i + 1 + match[0].length;
        let comparison = `${match[1]} ${match[2]}`;
        if (match[2].toLocaleLowerCase('en-US') !== 'pr') {
          while (end < text.length && /\s/.test(text[end])) {
            end++;
          }
          const valueEnd = readValueToken(text, end);
          comparison += ` ${text.slice(end, valueEnd)}`;
          end = valueEnd;
        }
        out = `${out.slice(0, openAt + 1)}(${inner}) and ${comparison}]`;
        openAt = -1;
        i = end;
        continue;
      }
      openAt = -1;
    }
    out += ch;
    i++;
  }
  return out;
}

/** Parses a SCIM filter; syntax errors become 400 invalidFilter. */
export function parseScimFilter(text: string): Filter {
  if (!text.trim()) {
    throw ScimError.badRequest('invalidFilter', 'Filter is empty');
  }
  try {
    return parse(rewriteSubAttributeValuePaths(text));
  } catch (error) {
    throw ScimError.badRequest(
      'invalidFilter',
      `Invalid filter '${text}': ${(error as Error).message}`,
    );
  }
}
