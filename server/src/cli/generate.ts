// `airgap-lint allowlist` and `airgap-lint images`: collect the files, refuse a broken
// configuration, ask the engine's service for the text, print it (notes on stderr), and return
// the exit status: 0 written, 1 written but something could not be listed (an invalid image) or
// moved (the overlay); errors throw CliError (2).
import { DiskHost, GenerateError, LanguageService, displayPath, type Generated } from '../engine';
import { CliError, type AllowlistArgs, type ImagesArgs } from './args';
import { collectFiles, configOption, readFileOrFail } from './walk';
import { refuseInvalidConfigs } from './check';

export interface GenerateIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function runGenerate(args: AllowlistArgs | ImagesArgs, io: GenerateIO): number {
  const cwd = io.cwd;
  const configPath = configOption(args.config, cwd);
  const service = new LanguageService(new DiskHost(), { configPath });
  const { files, emptyFolders } = collectFiles(args.paths, cwd, (f) => service.configFor(f));
  for (const folder of emptyFolders) io.stderr(`airgap-lint: no values files found in ${folder}.\n`);
  refuseInvalidConfigs(configPath ? [configPath, ...files] : files, service, cwd);
  for (const f of files) readFileOrFail(f, displayPath(f, cwd));
  const display = (p: string) => displayPath(p, cwd);
  let result: Generated;
  try {
    result =
      args.command === 'allowlist'
        ? service.allowlist(files, { format: args.format, features: args.features, namespace: args.namespace, podSelector: args.podSelector, apiServerCIDR: args.apiServerCIDR, displayPath: display })
        : service.imageList(files, { format: args.format, optional: args.optional, pullSecret: args.pullSecret, displayPath: display });
  } catch (err) {
    if (err instanceof GenerateError) throw new CliError(err.message);
    throw err;
  }
  io.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  for (const note of result.notes.slice(0, 200)) io.stderr(`airgap-lint: note: ${note}\n`);
  if (result.notes.length > 200) io.stderr(`airgap-lint: note: and ${result.notes.length - 200} more.\n`);
  return result.incomplete ? 1 : 0;
}
