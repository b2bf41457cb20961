export { providerConfigSchema, securityLevels, type ProviderConfig, type ProviderConfigInput, type SecurityLevel } from './config/provider-config-schema.js';
export { breakerConfigSchema, retryConfigSchema, routingConfigSchema, routingStrategies, routingWeightsSchema, type RoutingConfig } from './config/routing-config-schema.js';
export { managementConfigSchema, type ManagementConfig, type ManagementConfigInput } from './config/management-config-schema.js';
export { alertRuleConfigSchema, alertRuleMetrics, alertsConfigSchema, alertWebhookConfigSchema, burnRateWindowConfigSchema, sloConfigSchema, type AlertsConfig } from './config/alerts-config-schema.js';
export { memgateConfigSchema, type MemgateConfig, type MemgateConfigInput } from './config/memgate-config-schema.js';
export { formatConfigProblems, problemsFromIssues, type ConfigProblem } from './config/config-problem.js';
export { validateConfig, type ConfigValidationResult, type ValidateConfigOptions } from './config/validate-config.js';
export { loadConfig, type LoadConfigOptions } from './config/load-config.js';
export { configProblemsOf, parseProviderEntry } from './config/parse-provider-entry.js';

export { redactSecrets, redactSecretsInText, redactUrl, redactedMarker } from './secrets/redact-secrets.js';
export { hasSecretReference, listSecretReferences, resolveSecretReferences, resolveSecretReferencesDeep, secretReferenceNames, type Environment } from './secrets/secret-references.js';

export { discoverProviders, type DiscoveredProviderConfig, type DiscoveryReport, type ShadowedDiscovery } from './discovery/discover-providers.js';

export { loadProviderPlugin, type ModuleImporter } from './plugins/load-provider-plugin.js';
export { ProviderPluginSet } from './plugins/provider-plugin-set.js';

export type { Disposable } from './lifecycle/disposable.js';
export type { ProviderRecord, ProviderRecordChange, ProviderRecordInput, ProviderSource, ProviderState } from './lifecycle/provider-record.js';
export type { ProviderRegistryStore } from './lifecycle/provider-registry-store.js';
export { InMemoryProviderRegistryStore } from './lifecycle/in-memory-provider-registry-store.js';
export type { ProviderChangeEvent, ProviderChangeType } from './lifecycle/provider-change-event.js';
export { ProviderRegistry, type ConfigureOptions, type ProbeOptions, type ProviderRegistryOptions, type RegisterOptions } from './lifecycle/provider-registry.js';
export { classifyProviderFailure, type ProviderFailureMessage } from './lifecycle/classify-provider-failure.js';
export { applyConfig, type ApplyConfigOptions } from './lifecycle/apply-config.js';

export { exportConfig, type ExportConfigOptions } from './export/export-config.js';

export { checkEgressHost, checkEgressUrl, type EgressCheckOptions, type EgressPolicy, type HostLookup } from './egress/egress-policy.js';
export { classifyIpAddress, type IpAddressClass } from './egress/classify-ip-address.js';
