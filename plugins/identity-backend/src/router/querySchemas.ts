import {
  identitySources,
  identityStatusFlags,
  identityUserSortFields,
} from '@identity-governance/plugin-identity-common';
import { z } from 'zod';

/** `a&x=b` and `x=a,b` both give `['a', 'b']`. */
function multi<T extends [string, ...string[]]>(values: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform(v =>
      v === undefined
        ? undefined
        : (Array.isArray(v) ? v : [v])
            .flatMap(s => s.split(','))
            .map(s => s.trim())
            .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).optional());
}

function pageSchema(defaultLimit: number, maxLimit: number) {
  return {
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
  };
}

const filterSchema = {
  q: z.string().trim().max(200).optional(),
  group: z.string().trim().min(1).max(300).toLowerCase().optional(),
  source: multi(identitySources as [string, ...string[]]),
  status: multi(identityStatusFlags as [string, ...string[]]),
};

export function usersQuerySchema(defaultLimit: number, maxLimit: number) {
  return z
    .object({
      ...filterSchema,
      sort: z
        .enum(identityUserSortFields as [string, ...string[]])
        .default('name'),
      order: z.enum(['asc', 'desc']).default('asc'),
      ...pageSchema(defaultLimit, maxLimit),
    })
    .strict();
}

export const exportQuerySchema = z.object(filterSchema).strict();

export function pageQuerySchema(defaultLimit: number, maxLimit: number) {
  return z.object(pageSchema(defaultLimit, maxLimit)).strict();
}

/** Catalog names: letters, digits and `-_.`, at most 63 characters. */
export const entityNameParams = z.object({
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,63}$/, 'not a valid namespace'),
  name: z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, 'not a valid name'),
});
