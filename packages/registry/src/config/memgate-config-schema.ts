import { z } from 'zod';
import { providerConfigSchema } from './provider-config-schema.js';
import { routingConfigSchema } from './routing-config-schema.js';

/** A whole memgate config file. Unknown fields are errors. */
export const memgateConfigSchema = z.strictObject({
  /** Optional JSON-schema pointer for editors; ignored. */
  $schema: z.string().optional(),
  providers: z.array(providerConfigSchema, { error: 'expected an array of providers' }).default([]),
  routing: routingConfigSchema.optional(),
});

/** A config file as written (defaults optional). */
export type MemgateConfigInput = z.input<typeof memgateConfigSchema>;

/** A validated config, defaults filled in. */
export type MemgateConfig = z.output<typeof memgateConfigSchema>;
