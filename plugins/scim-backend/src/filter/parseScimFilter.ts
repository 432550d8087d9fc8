import { Filter, parse } from 'scim2-parse-filter';
import { ScimError } from '../errors/ScimError';

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

/**
 * Limits on a filter, checked before it is parsed. The parser (and the SQL
 * translation after it) recurse once per level of nesting, so without a
 * bound a filter like `not(not(...))` a thousand levels deep overflows the
 * stack; and a filter of thousands of comparisons becomes a query of
 * thousands of subqueries.
 */
export const FILTER_LIMITS = {
  /** Characters of the filter as sent. */
  maxLength: 4096,
  /** Levels of nesting: parentheses, value filters (`[...]`) and `not`. */
  maxDepth: 32,
  /** Comparisons (`eq`, `ne`, `co`, `sw`, `ew`, `gt`, `ge`, `lt`, `le`, `pr`). */
  maxComparisons: 100,
} as const;

const OPERATOR = /^(eq|ne|co|sw|ew|gt|ge|lt|le|pr)$/;
const WORD_CHAR = /[\w$.:/%-]/;

/**
 * A filter over {@link FILTER_LIMITS}: 400 invalidFilter wherever the filter
 * appears, in a `filter` parameter or in a PATCH path.
 */
export class FilterLimitError extends ScimError {
  constructor(detail: string) {
    super(400, detail, 'invalidFilter');
  }
}

function limitError(detail: string): ScimError {
  return new FilterLimitError(detail);
}

/**
 * Checks the nesting and the number of comparisons of a filter against
 * {@link FILTER_LIMITS} in one linear scan, without recursion. The depth
 * counts every open parenthesis or bracket plus every `not` whose operand is
 * still open: a `not` binds one expression, which ends at the next `and`/`or`
 * of the same level or at the level's closing parenthesis. Words inside
 * quoted strings are not counted.
 */
function checkFilterNesting(text: string): void {
  const tooDeep = () =>
    limitError(
      `Filter is nested more than ${FILTER_LIMITS.maxDepth} levels deep (parentheses, value filters and not)`,
    );
  // One entry per open level: the `not`s whose operand is open at it.
  const nots: number[] = [0];
  let depth = 0;
  let comparisons = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        i += text[i] === '\\' ? 2 : 1;
      }
      i++;
    } else if (ch === '(' || ch === '[') {
      nots.push(0);
      depth++;
      if (depth > FILTER_LIMITS.maxDepth) {
        throw tooDeep();
      }
      i++;
    } else if (ch === ')' || ch === ']') {
      if (nots.length > 1) {
        depth -= 1 + nots.pop()!;
      }
      i++;
    } else if (WORD_CHAR.test(ch)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i])) {
        i++;
      }
      const word = text.slice(start, i).toLocaleLowerCase('en-US');
      if (word === 'not') {
        nots[nots.length - 1]++;
        depth++;
        if (depth > FILTER_LIMITS.maxDepth) {
          throw tooDeep();
        }
      } else if (word === 'and' || word === 'or') {
        depth -= nots[nots.length - 1];
        nots[nots.length - 1] = 0;
      } else if (OPERATOR.test(word)) {
        comparisons++;
        if (comparisons > FILTER_LIMITS.maxComparisons) {
          throw limitError(
            `Filter has more than ${FILTER_LIMITS.maxComparisons} comparisons`,
          );
        }
      }
    } else {
      i++;
    }
  }
}

/**
 * Parses a SCIM filter. Syntax errors and filters over
 * {@link FILTER_LIMITS} become 400 invalidFilter.
 */
export function parseScimFilter(text: string): Filter {
  if (!text.trim()) {
    throw ScimError.badRequest('invalidFilter', 'Filter is empty');
  }
  if (text.length > FILTER_LIMITS.maxLength) {
    throw limitError(
      `Filter is longer than ${FILTER_LIMITS.maxLength} characters`,
    );
  }
  // The rewrite is linear; it adds one level inside some brackets, so the
  // nesting is checked on its output, the text the parser reads.
  const rewritten = rewriteSubAttributeValuePaths(text);
  checkFilterNesting(rewritten);
  try {
    return parse(rewritten);
  } catch (error) {
    throw ScimError.badRequest(
      'invalidFilter',
      `Invalid filter '${text}': ${(error as Error).message}`,
    );
  }
}
