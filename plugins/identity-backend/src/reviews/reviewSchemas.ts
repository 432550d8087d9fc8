import { z } from 'zod';

const entityRef = (kind: 'user' | 'group') =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      new RegExp(`^${kind}:[a-z0-9._-]{1,63}/[a-z0-9._-]{1,63}$`),
      `not a ${kind} entity ref (${kind}:namespace/name)`,
    );

export const userRefSchema = entityRef('user');

const scopeSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('permission'),
      permission: z
        .string()
        .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'not a valid permission name'),
    })
    .strict(),
  z
    .object({
      type: z.literal('groups'),
      groups: z.array(entityRef('group')).min(1).max(100),
    })
    .strict(),
  z.object({ type: z.literal('privileged') }).strict(),
]);

export const createCampaignBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    scope: scopeSchema,
    dueAt: z.string().datetime({ offset: true }).or(z.string().date()),
    defaultReviewers: z.array(userRefSchema).max(100).optional(),
  })
  .strict();

const uuid = z.string().uuid('not a valid id');

export const campaignParams = z.object({ id: uuid }).strict();
export const itemParams = z.object({ id: uuid, itemId: uuid }).strict();

/** Bulk decisions are for a page of items: the largest page at most. */
export function decisionsBody(maxPageSize: number) {
  return z
    .object({
      decisions: z
        .array(
          z
            .object({
              itemId: uuid,
              decision: z.enum(['keep', 'revoke']),
              comment: z.string().max(2000).optional(),
            })
            .strict(),
        )
        .min(1)
        .max(maxPageSize),
    })
    .strict();
}

export const reassignBody = z.object({ reviewer: userRefSchema }).strict();

export function itemsQuery(defaultLimit: number, maxLimit: number) {
  return z
    .object({
      mine: z.enum(['true', 'false']).optional(),
      q: z.string().trim().max(200).optional(),
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
    })
    .strict();
}

export const noQuery = z.object({}).strict();
