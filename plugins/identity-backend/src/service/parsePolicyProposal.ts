import { InputError } from '@backstage/errors';
import { parse } from 'yaml';

/** A proposed `identityPolicy` block, read from YAML. */
export interface PolicyProposal {
  /** The object under `identityPolicy` (not validated yet). */
  block: unknown;
  /** Top-level keys beside `identityPolicy`, which a dry-run ignores. */
  otherKeys: string[];
}

/**
 * Reads a proposed `identityPolicy` block, given with or without the
 * top-level `identityPolicy:` key. Throws `InputError` for invalid YAML; the
 * block itself is validated by the policy.
 */
export function parsePolicyProposal(yaml: string): PolicyProposal {
  let document: unknown;
  try {
    document = parse(yaml);
  } catch (error) {
    throw new InputError(`Invalid YAML: ${(error as Error).message}`);
  }
  if (document === null || document === undefined) {
    throw new InputError(
      'The proposal is empty: give an identityPolicy block in YAML',
    );
  }
  if (
    typeof document === 'object' &&
    !Array.isArray(document) &&
    Object.prototype.hasOwnProperty.call(document, 'identityPolicy')
  ) {
    const { identityPolicy, ...others } = document as Record<string, unknown>;
    return { block: identityPolicy ?? {}, otherKeys: Object.keys(others) };
  }
  return { block: document, otherKeys: [] };
}
