import { FinalVersionChainSchema, RevisionSchema } from './revisions.ts';
import { ACTIONS, type Action } from '../policies/index.ts';
import { z } from '@hono/zod-openapi';

/** Shared response schemas for agreement routes. */
export const RoleSchema = z.enum(['editor', 'commenter', 'viewer']).openapi('MemberRole');

export const PartySchema = z
  .object({
    id: z.uuid().openapi({ description: 'Organisation id' }),
    name: z.string(),
    kind: z.enum(['ideburen', 'kommun', 'region']),
    orgNumber: z.string(),
    municipalityCode: z.string().nullable(),
    verified: z.boolean().openapi({ description: 'An operator verified the organisation (shown as "ej verifierad" otherwise)' }),
  })
  .openapi('AgreementParty');

export const MemberSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    title: z.string().openapi({ description: 'Befattning from the account, printed under the name when this member signs' }),
    role: RoleSchema,
    signatory: z.boolean(),
    partyId: z.uuid(),
    joinedAt: z.string(),
  })
  .openapi('AgreementMember');

export const AgreementSummarySchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    status: z.enum(['draft', 'locked']),
    archived: z.boolean(),
    archivedAt: z.string().nullable(),
    templateId: z.string(),
    templateVersion: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    role: RoleSchema.openapi({ description: 'Your role' }),
    signatory: z.boolean().openapi({ description: 'Whether you are a signatory (firmatecknare)' }),
    partyId: z.uuid().openapi({ description: 'The party (organisation) you represent' }),
    revision: RevisionSchema.nullable().openapi({ description: 'The amendment or renewal being drafted, else null' }),
    finalVersions: z.array(FinalVersionChainSchema).openapi({ description: 'The signed final versions in force, oldest first (the chain: original, Tillägg 1 …)' }),
  })
  .openapi('AgreementSummary');

export const AgreementListItemSchema = AgreementSummarySchema.extend({
  parties: z.array(PartySchema.pick({ id: true, name: true, kind: true, verified: true })),
}).openapi('AgreementListItem');

export const AgreementDetailSchema = AgreementSummarySchema.extend({
  finalVersionId: z.uuid().nullable().openapi({ description: 'The locked final version (agreement version id)' }),
  finalVersion: z.number().int().nullable().openapi({ description: 'N of "final version N" while locked' }),
  parties: z.array(PartySchema),
  members: z.array(MemberSchema),
  me: z.object({ userId: z.uuid(), role: RoleSchema, signatory: z.boolean(), partyId: z.uuid() }),
  policies: z
    .object(Object.fromEntries(ACTIONS.map((a) => [a, z.boolean()])) as Record<Action, z.ZodBoolean>)
    .openapi('AgreementPolicies', {
      description:
        "What you may do on this agreement now, from the server's policy (apps/server/src/policies): one flag per action. Party-scoped actions (member.manage, comment.readInternal, comment.editOwn) are answered for your own party and your own things.",
    }),
}).openapi('AgreementDetail');
