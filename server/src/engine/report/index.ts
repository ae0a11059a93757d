// Output formats: pure functions from lint results to text, shared by the CLI, the server's
// commands and the tests.
export * from './common';
export { formatText, type TextOptions } from './text';
export { formatJson, toJsonReport, type JsonReport, type JsonDiagnostic, type JsonFix, type JsonEdit } from './json';
export { formatSarif, toSarif, sarifLevel, sarifRegion, FINGERPRINT_KEY, type SarifOptions, type SarifResult, type SarifFix, type SarifLocation } from './sarif';
export { formatGithub, githubLine, githubCommand, escapeGithubData, escapeGithubProperty, type GithubCommand } from './github';
export { formatCodeClimate, toCodeClimate, codeClimateSeverity, type CodeClimateIssue, type CodeClimateOptions, type CodeClimateSeverity } from './codeclimate';
