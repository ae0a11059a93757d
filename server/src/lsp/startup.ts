// The one line the server logs when it starts, at the default log level: its version, the
// workspace folders, the config files found in each and the cluster profile in effect at each
// folder's root. Enough for a user (or a bug report) to see which configuration the editor
// uses without turning on tracing. Paths and CIDRs only: nothing from settings that could be a
// secret, no document text.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { CONFIG_FILE_NAMES, type ResolvedConfig } from '../engine';

/** Folders never searched: dependencies and VCS metadata (hidden folders are skipped too). */
const SKIPPED_DIRS = new Set(['node_modules']);
/** A start-up line must not cost a walk of a huge monorepo: the search stops after this many folders. */
export const MAX_SEARCHED_DIRS = 2000;

export interface ConfigSearch {
  /** Absolute paths, in walk order (shallow first). */
  files: string[];
  /** The search stopped at MAX_SEARCHED_DIRS. */
  truncated: boolean;
}

/** The `.airgap-lint.yaml` files under `root`, breadth first, skipping hidden folders and node_modules. */
export async function findConfigFiles(root: string, maxDirs = MAX_SEARCHED_DIRS): Promise<ConfigSearch> {
  const files: string[] = [];
  const queue = [root];
  let searched = 0;
  while (queue.length) {
    if (searched >= maxDirs) return { files, truncated: true };
    const dir = queue.shift()!;
    searched++;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable: nothing to report from it
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isFile() && CONFIG_FILE_NAMES.includes(e.name)) files.push(nodePath.join(dir, e.name));
      else if (e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) queue.push(nodePath.join(dir, e.name));
    }
  }
  return { files, truncated: false };
}

/** "k3s (from .airgap-lint.yaml)", "custom: pod 10.1.0.0/16 (from settings)", "none". */
export function describeProfile(config: Pick<ResolvedConfig, 'cluster' | 'configPath'>, relative: (p: string) => string): string {
  const { cluster } = config;
  if (!cluster.known) return 'none';
  const what = cluster.distribution
    ? cluster.distribution
    : `custom: ${[cluster.podCIDR.length ? `pod ${cluster.podCIDR.join(', ')}` : '', cluster.serviceCIDR.length ? `service ${cluster.serviceCIDR.join(', ')}` : '', cluster.apiServerIP ? `apiserver ${cluster.apiServerIP}` : ''].filter((s) => s).join(', ')}`;
  return `${what} (from ${config.configPath ? relative(config.configPath) : 'settings'})`;
}

export interface FolderStartup {
  /** The folder's path (or undefined for a window without folders). */
  folder: string;
  search: ConfigSearch;
  /** The configuration in effect at the folder's root (its own or an ancestor's config file, and the settings). */
  config: Pick<ResolvedConfig, 'cluster' | 'configPath'>;
}

function relativeTo(base: string): (p: string) => string {
  return (p) => {
    const rel = nodePath.relative(base, p);
    return (rel === '' || rel.startsWith('..') || nodePath.isAbsolute(rel) ? p : rel).split(nodePath.sep).join('/');
  };
}

function describeFolder(f: FolderStartup): string {
  const relative = relativeTo(f.folder);
  // A config above the folder applies too: list it first.
  const inEffect = f.config.configPath && !f.search.files.includes(f.config.configPath) ? [f.config.configPath] : [];
  const files = [...inEffect, ...f.search.files].map(relative);
  const configs = files.length ? `config files ${files.join(', ')}${f.search.truncated ? ' (search stopped early)' : ''}` : `no config file${f.search.truncated ? ' found in the folders searched' : ''}`;
  return `folder ${f.folder}: ${configs}; cluster profile ${describeProfile(f.config, relative)}`;
}

/** The start-up line. */
export function startupLine(version: string, folders: FolderStartup[]): string {
  const where = folders.length ? folders.map(describeFolder).join('; ') : 'no workspace folder (files use the settings and the config beside them)';
  return `airgap-lint ${version} started, node ${process.version}. ${where[0].toUpperCase()}${where.slice(1)}.`;
}
