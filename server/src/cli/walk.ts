// Which files `check PATH...` lints. A file given by name is linted whatever its name; a
// folder is walked recursively for values files, with the patterns of the configuration in
// effect for each folder (`files:` in .airgap-lint.yaml, else the defaults).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { MAX_FILE_BYTES, isValuesFile, type ResolvedConfig } from '../engine';
import { CliError } from './args';

/** Folders never worth walking: dependencies and VCS metadata (hidden folders are skipped too). */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface WalkResult {
  files: string[];
  /** Folders given on the command line in which no values file was found. */
  emptyFolders: string[];
}

function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a path component is not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return e.message ?? String(err);
  }
}

/** Stats a path or fails with a one-line message naming it. */
export function statOrFail(path: string, shown: string): fs.Stats {
  try {
    return fs.statSync(path);
  } catch (err) {
    throw new CliError(`Cannot read ${shown}: ${describeError(err)}.`);
  }
}

export function checkFileSize(stat: fs.Stats, shown: string): void {
  if (stat.size > MAX_FILE_BYTES) {
    throw new CliError(`${shown} is ${Math.round(stat.size / (1024 * 1024))} MB, larger than the ${MAX_FILE_BYTES / (1024 * 1024)} MB airgap-lint reads; it is not a values file.`);
  }
}

/** Reads a file as UTF-8 or fails with a one-line message naming it. */
export function readFileOrFail(path: string, shown: string): string {
  checkFileSize(statOrFail(path, shown), shown);
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${shown}: ${describeError(err)}.`);
  }
}

/**
 * Expands the command line's PATHs into absolute file paths, in a stable order, each once.
 * `configFor(file)` gives the configuration whose patterns decide whether a walked file is
 * a values file.
 */
export function collectFiles(
  paths: string[],
  cwd: string,
  configFor: (file: string) => ResolvedConfig,
): WalkResult {
  const files: string[] = [];
  const seen = new Set<string>();
  const emptyFolders: string[] = [];
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      files.push(file);
    }
  };

  for (const given of paths) {
    const abs = nodePath.resolve(cwd, given);
    const stat = statOrFail(abs, given);
    if (stat.isFile()) {
      checkFileSize(stat, given);
      add(abs);
    } else if (stat.isDirectory()) {
      const before = files.length;
      walk(abs, given, new Set(), configFor, add);
      if (files.length === before) emptyFolders.push(given);
    } else {
      throw new CliError(`${given} is neither a file nor a folder.`);
    }
  }
  return { files, emptyFolders };
}

function walk(
  dir: string,
  shown: string,
  visited: Set<string>,
  configFor: (file: string) => ResolvedConfig,
  add: (file: string) => void,
): void {
  // A symbolic link back up the tree must not loop forever.
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch (err) {
    throw new CliError(`Cannot read ${shown}: ${describeError(err)}.`);
  }
  if (visited.has(real)) return;
  visited.add(real);

  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new CliError(`Cannot read the folder ${shown}: ${describeError(err)}.`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const abs = nodePath.join(dir, entry.name);
    const shownChild = nodePath.join(shown, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = fs.statSync(abs);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // a dangling link is nothing to lint
      }
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.')) continue;
      walk(abs, shownChild, visited, configFor, add);
    } else if (isFile) {
      const config = configFor(abs);
      if (!isValuesFile(abs, config.files, config.baseDir)) continue;
      checkFileSize(statOrFail(abs, shownChild), shownChild);
      add(abs);
    }
  }
}

/** `--config FILE` resolved against the working directory: a readable file, or a CliError (exit 2). */
export function configOption(config: string | undefined, cwd: string): string | undefined {
  if (config === undefined) return undefined;
  const configPath = nodePath.resolve(cwd, config);
  if (!statOrFail(configPath, config).isFile()) throw new CliError(`--config ${config} is not a file.`);
  // Read it now so that an unreadable config is an I/O error, not a lint finding.
  readFileOrFail(configPath, config);
  return configPath;
}
