/**
 * The new-agreement form's rules: the agreement's title by the server's own schema, plus what the page
 * asks itself (the organisation, whether the creator signs for it, the template). Its own module, loaded
 * when the form appears: a static zod import lets the bundler keep only the zod the app uses.
 */
import { agreementTitleSchema } from '@overens/model/requests';
import { z } from 'zod';

export const newAgreementSchema = z.object({
  title: agreementTitleSchema,
  organisationId: z.string().min(1),
  signs: z.enum(['yes', 'no']),
  jobTitle: z.string().trim().max(120),
  templateId: z.string(),
});
