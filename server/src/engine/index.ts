// The engine's public surface for the adapters (server, CLI) and the tests.
export * from './types';
export * from './lint';
export * from './config';
export * from './document';
export * from './fixes';
export { ruleDocsUrl, ruleInfo, allRules } from './rules/catalog';
export * from './node-host';
