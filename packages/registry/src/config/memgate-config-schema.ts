import { z } from 'zod';
import { alertsConfigSchema } from './alerts-config-schema.js';
import { managementConfigSchema } from './management-config-schema.js';
import { providerConfigSchema } from './provider-config-schema.js';
import { routingConfigSchema } from './routing-config-schema.js';

/** A whole memgate config file. Unknown fields are errors. */
export const memgateConfigSchema = z.strictObject({
  /** Optional JSON-schema pointer for editors; ignored. */
  $schema: z.string().optional(),
  providers: z.array(providerConfigSchema, { error: 'expected an array of providers' }).default([]),
  routing: routingConfigSchema.optional(),
  /** What the management API may do (plugin modules, `${ENV}` names, egress). Absent: nothing beyond the defaults. */
  management: managementConfigSchema.optional(),
  /** Alert webhooks, SLOs and threshold rules (the gateway reads this section with its serve settings). */
  alerts: alertsConfigSchema.optional(),
});

/** A config file as written (defaults optional). */
export type MemgateConfigInput = z.input<typeof memgateConfigSchema>;

/** A validated config, defaults filled in. */
export type MemgateConfig = z.output<typeof memgateConfigSchema>;
