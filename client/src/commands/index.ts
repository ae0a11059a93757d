// The palette commands beyond restart/show output. Each returns what it did, so that the
// end-to-end suite (and other extensions) can check the outcome without reading the UI.
import { commands, workspace, type Disposable } from 'vscode';
import type { CommandContext } from './context';
import { detectClusterNetwork } from './detect-cluster';
import { EFFECTIVE_VALUES_SCHEME, EffectiveValuesProvider, showEffectiveValues } from './effective-values';
import { registerGenerateCommands } from './generate';
import { setClusterProfile } from './set-cluster-profile';

export function registerCommands(ctx: CommandContext): Disposable[] {
  // Show Effective Values opens read-only virtual documents of this provider.
  const effectiveValues = new EffectiveValuesProvider(ctx);
  return [
    effectiveValues,
    workspace.registerTextDocumentContentProvider(EFFECTIVE_VALUES_SCHEME, effectiveValues),
    commands.registerCommand('airgapLint.setClusterProfile', (arg?: unknown) => setClusterProfile(ctx, arg)),
    commands.registerCommand('airgapLint.showEffectiveValues', (arg?: unknown) => showEffectiveValues(ctx, effectiveValues, arg)),
    commands.registerCommand('airgapLint.detectClusterNetwork', (arg?: unknown) => detectClusterNetwork(ctx, arg)),
    // Generate Egress Allowlist, Image Mirror List, Air-Gap Overlay.
    ...registerGenerateCommands(ctx),
  ];
}
