// `workspace/executeCommand` for the generators (product.md "LSP contract"):
// `airgapLint.generateAllowlist` and `airgapLint.generateImageList`, one argument
// `GenerateParams` `{uris, format, …}`. A URI names a values file (its layer stack is listed) or
// a folder (every values file under it, walked as `airgap-lint allowlist|images FOLDER` walks
// it). Paths in the output are relative to the workspace folder, so the text is byte for byte
// what the CLI prints when run from the folder's root: the three adapters (CLI, LSP, VS Code)
// share one engine call (LanguageService.allowlist / imageList).
//
// Each request runs on a fresh LanguageService over the server's DiskHost (unsaved buffers
// included) with the folder's settings: a one-shot generator over a whole folder must not leave
// its parsed files in the folder's lint cache. Never throws into the connection: bad requests
// and GenerateError come back as `{error}`.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { Connection, ExecuteCommandParams } from 'vscode-languageserver/node';
import { displayPath, GenerateError, isValuesFile, LanguageService, type AllowlistFormat, type DiskHost, type Generated, type ImageListFormat } from '../engine';
import { CliError } from '../cli/args';
import { refuseInvalidConfigs } from '../cli/check';
import { collectFiles } from '../cli/walk';
import { Commands, type Failure, type GenerateParams, type GenerateResult } from '../protocol';
import type { Folders } from './folders';
import { showRuleDocumentation } from './rule-docs';
import { uriToPath } from './uri';

/** The commands the server advertises in `executeCommandProvider`. */
export const GENERATE_COMMANDS: string[] = [Commands.generateAllowlist, Commands.generateImageList];

const INTERNAL_ERROR: Failure = { error: 'Internal error; see the Air-Gap Lint log.' };

/** At most this many notes travel back (the CLI prints 200 too). */
const MAX_NOTES = 200;

type Guard = <T>(what: string, fallback: T, run: () => Promise<T>) => Promise<T>;

export function registerGenerateCommands(connection: Connection, folders: Folders, host: DiskHost, guard: Guard): void {
  // The rule pages the build writes beside the bundled server (dist/docs/rules).
  const docsDir = nodePath.join(__dirname, 'docs', 'rules');
  connection.onExecuteCommand((params: ExecuteCommandParams) =>
    params?.command === Commands.showRuleDocumentation
      ? guard<{ uri: string } | Failure>('showing rule documentation', INTERNAL_ERROR, () => showRuleDocumentation(connection, docsDir, params.arguments))
      : guard<GenerateResult | Failure>(`running ${String(params?.command)}`, INTERNAL_ERROR, () => executeGenerate(params, folders, host)),
  );
}

/** The request comes from outside: keep only what has the right type. */
function readParams(raw: unknown): GenerateParams | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'Expected one argument {uris, format}.';
  const p = raw as Record<string, unknown>;
  if (!Array.isArray(p.uris) || !p.uris.length || !p.uris.every((u) => typeof u === 'string')) return 'Expected "uris": a list of file or folder URIs.';
  if (typeof p.format !== 'string') return 'Expected "format": the name of an output format.';
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const out: GenerateParams = { uris: p.uris as string[], format: p.format };
  if (p.features === 'enabled' || p.features === 'all') out.features = p.features;
  if (p.optional === 'include' || p.optional === 'exclude') out.optional = p.optional;
  if (str(p.namespace) !== undefined) out.namespace = str(p.namespace);
  if (str(p.apiServerCIDR) !== undefined) out.apiServerCIDR = str(p.apiServerCIDR);
  if (str(p.pullSecret) !== undefined) out.pullSecret = str(p.pullSecret);
  if (p.podSelector && typeof p.podSelector === 'object' && !Array.isArray(p.podSelector)) {
    out.podSelector = Object.fromEntries(Object.entries(p.podSelector as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function executeGenerate(params: ExecuteCommandParams, folders: Folders, host: DiskHost): Promise<GenerateResult | Failure> {
  const command = params?.command;
  if (command !== Commands.generateAllowlist && command !== Commands.generateImageList) return { error: `Unknown command ${String(command)}.` };
  const request = readParams(params.arguments?.[0]);
  if (typeof request === 'string') return { error: `${command}: ${request}` };
  const paths: string[] = [];
  for (const uri of request.uris) {
    const path = uriToPath(uri);
    if (!path) return { error: `${uri} is not a file on disk.` };
    paths.push(path);
  }

  // One folder's settings and one base for display paths: the first URI's workspace folder.
  const state = await folders.stateFor(paths[0]);
  const base = state.folder?.path ?? (isDirectory(paths[0]) ? paths[0] : nodePath.dirname(paths[0]));
  const service = new LanguageService(host, { settings: state.settings.config });
  const shown = (p: string) => displayPath(p, base);

  const files: string[] = [];
  const notes: string[] = [];
  try {
    for (const path of paths) {
      if (isDirectory(path)) {
        const walked = collectFiles([path], base, (f) => service.configFor(f));
        for (const f of walked.files) if (!files.includes(f)) files.push(f);
        if (walked.emptyFolders.length) notes.push(`No values files found in ${shown(path)}.`);
        continue;
      }
      const config = service.configFor(path);
      if (!isValuesFile(path, config.files, config.baseDir)) {
        return { error: `${shown(path)} is not a values file (airgapLint.files or "files:" in .airgap-lint.yaml say which files are).` };
      }
      if (host.readFile(path) === undefined) return { error: `Cannot read ${shown(path)}.` };
      if (!files.includes(path)) files.push(path);
    }
    if (!files.length) return { error: `No values files found in ${paths.map(shown).join(', ')}.` };
    // As the CLI: a broken configuration is refused, not half used.
    refuseInvalidConfigs(files, service, base);
  } catch (err) {
    if (err instanceof CliError) return { error: err.message };
    throw err;
  }

  let result: Generated;
  try {
    result =
      command === Commands.generateAllowlist
        ? service.allowlist(files, {
            format: request.format as AllowlistFormat, // the engine refuses an unknown one (GenerateError)
            features: request.features,
            namespace: request.namespace,
            podSelector: request.podSelector,
            apiServerCIDR: request.apiServerCIDR,
            displayPath: shown,
          })
        : service.imageList(files, {
            format: request.format as ImageListFormat,
            optional: request.optional,
            pullSecret: request.pullSecret,
            displayPath: shown,
          });
  } catch (err) {
    if (err instanceof GenerateError) return { error: err.message };
    throw err;
  }
  const all = [...notes, ...result.notes];
  if (all.length > MAX_NOTES) all.splice(MAX_NOTES, all.length - MAX_NOTES, `and ${all.length - MAX_NOTES} more.`);
  // The CLI ends its output with a newline; so does the text here, whatever the formatter did.
  const text = result.text.endsWith('\n') ? result.text : `${result.text}\n`;
  return { text, language: result.language, notes: all, incomplete: result.incomplete };
}
