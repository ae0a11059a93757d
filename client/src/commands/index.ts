// The palette commands beyond restart/show output. Each returns what it did, so that the
// end-to-end suite (and other extensions) can check the outcome without reading the UI.
import { commands, type Disposable } from 'vscode';
import type { CommandContext } from './context';
import { detectClusterNetwork } from './detect-cluster';
import { showEffectiveValues } from './effective-values';
import { registerGenerateCommands } from './generate';
import { setClusterProfile } from './set-cluster-profile';

export function registerCommands(ctx: CommandContext): Disposable[] {
  return [
    commands.registerCommand('airgapLint.setClusterProfile', (arg?: unknown) => setClusterProfile(ctx, arg)),
    commands.registerCommand('airgapLint.showEffectiveValues', (arg?: unknown) => showEffectiveValues(ctx, arg)),
    commands.registerCommand('airgapLint.detectClusterNetwork', (arg?: unknown) => detectClusterNetwork(ctx, arg)),
    // Generate Egress Allowlist, Image Mirror List, Air-Gap Overlay.
    ...registerGenerateCommands(ctx),
  ];
}
