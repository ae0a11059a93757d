// Entry point the extension host calls (the @vscode/test-electron contract: `run()` returning a
// promise). Loads the bundled specs beside this file into mocha and reports through the
// extension host's console, which the harness forwards to the test run.
import * as path from 'node:path';

type MochaCtor = new (options: Record<string, unknown>) => {
  addFile(file: string): void;
  loadFilesAsync(): Promise<void>;
  run(done: (failures: number) => void): void;
};

export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('mocha') as { default?: MochaCtor; Mocha?: MochaCtor };
  const Mocha = (mod.default ?? mod.Mocha ?? mod) as MochaCtor;
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  mocha.addFile(path.join(__dirname, 'extension.e2e.js'));
  await mocha.loadFilesAsync();
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} end-to-end test(s) failed`)) : resolve()));
  });
}
