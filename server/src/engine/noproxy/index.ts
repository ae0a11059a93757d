// NO_PROXY engine: parsing with offsets, one matcher per runtime, coverage and minimal fixes.
// The facts behind every rule here are in research/domain.md §1.
import { curlBypasses } from './curl';
import { goBypasses } from './go';
import { nodeBypasses } from './node';
import { pythonBypasses } from './python';
import type { Dialect, Target } from './types';

export * from './types';
export { parseNoProxy, entryAt, type NoProxyEntry, type ParsedNoProxy, type EntryKind, type EntryIssue, type EntryIssueCode } from './parse';
export { cidrInfo, formatCount, rangeContains, type CidrInfo, type IPRange } from './cidr';
export {
  NoProxyChecker,
  MATCHERS,
  coverage,
  destination,
  matchEntry,
  minimalEntries,
  appendEntries,
  type Coverage,
  type Destination,
  type DialectVerdict,
  type EntrySuggestion,
  type MinimalEntries,
  type MinimalEntriesOptions,
} from './coverage';
export { describeEntry, listDialects, type EntryMeaning } from './describe';
export { goBypasses, goProxyForURL, goConfigFromEnv, goParseProxy, GO_CGI_ERROR, type GoProxyConfig } from './go';
export { curlBypasses } from './curl';
export { pythonBypasses, pythonShouldBypass, pythonUrllibNoProxy } from './python';
export { nodeBypasses, nodeProxyFromEnv, nodeNoProxyFromEnv, type NodeProxyOptions } from './node';

/** Whether `dialect` sends the request straight to the host (true) rather than to the proxy. */
export function bypasses(dialect: Dialect, noProxy: string, target: Target | string): boolean {
  switch (dialect) {
    case 'go':
      return goBypasses(noProxy, target);
    case 'curl':
      return curlBypasses(noProxy, target);
    case 'python':
      return pythonBypasses(noProxy, target);
    case 'node':
      return nodeBypasses(noProxy, target);
  }
}
