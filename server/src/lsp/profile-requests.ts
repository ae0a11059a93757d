// Custom requests behind the VS Code client's commands and status bar. Any LSP client may
// send them; they only read (the profile edit is computed here and applied by the client, so
// that it is one undoable WorkspaceEdit).
//
// The names and types are in ../protocol.ts (Requests).
import * as nodePath from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { CONFIG_FILE_NAMES, clusterProfileEdit, resolveConfig, type ClusterProfileEdit, type ClusterProfileInput, type DiskHost } from '../engine';
import { Requests, type ClusterProfileInfo, type EffectiveValuesResult, type Failure, type StackStatusResult, type UriParams } from '../protocol';
import type { Folders } from './folders';
import { pathToUri, uriToPath } from './uri';

export type { ClusterProfileInfo };

export function registerProfileRequests(
  connection: Connection,
  folders: Folders,
  host: DiskHost,
  guard: <T>(what: string, fallback: T, run: () => Promise<T>) => Promise<T>,
): void {
  const pathOf = (uri: unknown): string | undefined => (typeof uri === 'string' ? uriToPath(uri) : undefined);
  // The client compares these by file system path, so the plain encoding is enough.
  const uriOf = (path: string): string => pathToUri(path);

  connection.onRequest(Requests.effectiveValues, (params: Partial<UriParams>) =>
    guard<EffectiveValuesResult | Failure>('computing effective values', { error: 'Internal error; see the Air-Gap Lint log.' }, async () => {
      const path = pathOf(params?.uri);
      if (!path) return { error: 'Effective values need a file on disk.' };
      const state = await folders.stateFor(path);
      const base = state.folder?.path ?? nodePath.dirname(path);
      const displayPath = (p: string) => {
        const rel = nodePath.relative(base, p);
        return (rel.startsWith('..') || nodePath.isAbsolute(rel) ? p : rel).split(nodePath.sep).join('/');
      };
      const result = state.engine.effectiveValues(path, { displayPath });
      return { text: result.text, layers: result.stack.files.map(uriOf) };
    }),
  );

  connection.onRequest(Requests.stackStatus, (params: Partial<UriParams>) =>
    guard<StackStatusResult | Failure>('reading the stack status', { error: 'Internal error; see the Air-Gap Lint log.' }, async () => {
      const path = pathOf(params?.uri);
      if (!path) return { error: 'The stack status belongs to a file on disk.' };
      const state = await folders.stateFor(path);
      // Open documents have live diagnostics on the client: only the other layers are linted here.
      const status = state.engine.stackStatus(path, (layer) => !host.isOpen(layer));
      return {
        mode: status.mode,
        mirrorRegistry: status.mirrorRegistry,
        layers: status.layers.map((l) => ({ uri: uriOf(l.path), errors: l.errors, warnings: l.warnings })),
      };
    }),
  );

  connection.onRequest(Requests.clusterProfile, (params: Partial<UriParams>) =>
    guard<ClusterProfileInfo | Failure>('reading the cluster profile', { error: 'Internal error; see the Air-Gap Lint log.' }, async () => {
      const path = pathOf(params?.uri);
      if (!path) return { error: 'The cluster profile belongs to a file on disk.' };
      const state = await folders.stateFor(path);
      // Resolved afresh (not the lint cache): the status bar must follow an edit of the
      // config file even before the watcher's notification reaches the server.
      const config = resolveConfig(nodePath.dirname(path), host, state.settings.config);
      const folderDir = state.folder?.path ?? nodePath.dirname(path);
      const { cluster } = config;
      return {
        distribution: cluster.distribution,
        podCIDR: cluster.podCIDR,
        serviceCIDR: cluster.serviceCIDR,
        apiServerIP: cluster.apiServerIP,
        clusterDomain: cluster.clusterDomain,
        cloud: cluster.cloud,
        known: cluster.known,
        configPath: config.configPath,
        targetConfigPath: config.configPath ?? nodePath.join(folderDir, CONFIG_FILE_NAMES[0]),
        configProblems: config.problems.length,
      };
    }),
  );

  connection.onRequest(Requests.clusterProfileEdit, (params: { path?: unknown; text?: unknown; profile?: unknown }) =>
    guard<ClusterProfileEdit>('writing the cluster profile', { ok: false, error: 'Internal error; see the Air-Gap Lint log.' }, async () => {
      const path = typeof params?.path === 'string' ? params.path : CONFIG_FILE_NAMES[0];
      const text = typeof params?.text === 'string' ? params.text : undefined;
      const profile = (params?.profile && typeof params.profile === 'object' ? params.profile : {}) as ClusterProfileInput;
      return clusterProfileEdit(text, sanitizeProfile(profile), nodePath.basename(path));
    }),
  );
}

/** The request comes from outside: keep only strings and string lists. */
function sanitizeProfile(p: ClusterProfileInput): ClusterProfileInput {
  const str = (v: unknown) => (v === null ? null : typeof v === 'string' ? v : undefined);
  const list = (v: unknown) => (v === null ? null : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  return { distribution: str(p.distribution), podCIDR: list(p.podCIDR), serviceCIDR: list(p.serviceCIDR), apiServerIP: str(p.apiServerIP) };
}
