// "Air-Gap Lint: Set Cluster Network Profile": a quick pick of the distribution presets (each
// showing the CIDRs it implies; the profile in effect is marked "(current)" and is the active
// item, so Enter keeps it), input boxes for the pod CIDR, service CIDR and apiserver IP
// prefilled from the preset, then one undoable edit of `.airgap-lint.yaml`.
//
// Also run by the `proxy/profile-unknown` quick fixes with `{distribution, configPath, valuesPath}`:
// a distribution given skips the quick pick.
import { window, type QuickPickItem } from 'vscode';
import type { ClusterProfileInfo } from '../../../server/src/protocol';
import { PRESETS, parseCidr, parseIP, presetFor, type DistributionPreset } from '../../../server/src/protocol';
import { clusterProfileFor, isFailure, targetUri, type CommandContext } from './context';
import { writeProfile, type ProfileValues, type WriteResult } from './write-profile';

interface SetProfileArgs {
  distribution?: unknown;
  valuesPath?: unknown;
  configPath?: unknown;
}

interface DistributionItem extends QuickPickItem {
  id: string;
}

const list = (v: string[]) => v.join(', ');

/** One line per preset: what NO_PROXY will have to exempt. */
export function presetDetail(p: DistributionPreset): string {
  const pods = p.podCIDR.length ? list(p.podCIDR) : 'node/VPC addresses (enter yours)';
  return `pods ${pods} · services ${list(p.serviceCIDR)}${p.apiServerIP ? ` · apiserver ${p.apiServerIP}` : ''}`;
}

function distributionItems(current: string | undefined): DistributionItem[] {
  const items: DistributionItem[] = Object.values(PRESETS).map((p) => ({
    id: p.id,
    label: p.id,
    description: p.label + (p.id === current ? ' (current)' : ''),
    detail: presetDetail(p),
  }));
  items.push({ id: 'custom', label: 'custom', description: 'No preset' + (current === 'custom' ? ' (current)' : ''), detail: 'Enter the pod CIDR, service CIDR and apiserver IP yourself' });
  return items;
}

/** The item of the profile in effect: its distribution, `custom` for explicit CIDRs alone, none without a profile. */
export function currentDistribution(info: Pick<ClusterProfileInfo, 'distribution' | 'known'>): string | undefined {
  return info.distribution ?? (info.known ? 'custom' : undefined);
}

/**
 * showQuickPick always highlights the first item; a QuickPick lets the current profile be the
 * active one, so that the list opens where the user stands and Enter keeps it.
 */
function pickDistribution(items: DistributionItem[], current: string | undefined): Promise<DistributionItem | undefined> {
  return new Promise((resolve) => {
    const pick = window.createQuickPick<DistributionItem>();
    pick.title = 'Air-Gap Lint: Set Cluster Network Profile (1/4)';
    pick.placeholder = 'Distribution of the target cluster: its defaults tell NO_PROXY what to exempt';
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.ignoreFocusOut = true;
    pick.items = items;
    const active = items.find((i) => i.id === current);
    if (active) pick.activeItems = [active];
    let chosen: DistributionItem | undefined;
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}

function splitList(s: string): string[] {
  return s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function validateCidrs(s: string): string | undefined {
  const bad = splitList(s).find((x) => !parseCidr(x));
  return bad ? `"${bad}" is not a CIDR (e.g. 10.42.0.0/16)` : undefined;
}

function validateIP(s: string): string | undefined {
  const t = s.trim();
  return t && !parseIP(t) ? `"${t}" is not an IP address` : undefined;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export async function setClusterProfile(ctx: CommandContext, rawArgs?: unknown): Promise<WriteResult | undefined> {
  const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as SetProfileArgs;
  const uri = targetUri(rawArgs);
  if (!uri) {
    void window.showErrorMessage('Air-Gap Lint: open a folder or a values file first.');
    return undefined;
  }
  const info = await clusterProfileFor(ctx, uri);
  if (isFailure(info)) {
    void window.showErrorMessage(`Air-Gap Lint: ${info.error}`);
    return undefined;
  }

  let distribution = typeof args.distribution === 'string' && (presetFor(args.distribution) || args.distribution === 'custom') ? args.distribution : undefined;
  if (!distribution) {
    const current = currentDistribution(info);
    const picked = await pickDistribution(distributionItems(current), current);
    if (!picked) return undefined;
    distribution = picked.id;
  }
  const preset = presetFor(distribution);
  // Prefill: what is in effect when the distribution stays the same, else the preset's defaults.
  const keep = info.distribution === distribution;
  const prefill = {
    podCIDR: keep ? info.podCIDR : (preset?.podCIDR ?? []),
    serviceCIDR: keep ? info.serviceCIDR : (preset?.serviceCIDR ?? []),
    apiServerIP: keep ? info.apiServerIP : preset?.apiServerIP,
  };

  const ask = (step: number, prompt: string, value: string, validateInput: (s: string) => string | undefined) =>
    window.showInputBox({ title: `Air-Gap Lint: Set Cluster Network Profile (${step}/4): ${distribution}`, prompt, value, validateInput, ignoreFocusOut: true });
  const pod = await ask(2, 'Pod CIDR(s), comma-separated (Prometheus scrapes pod IPs: NO_PROXY must exempt them)', list(prefill.podCIDR), validateCidrs);
  if (pod === undefined) return undefined;
  const svc = await ask(3, 'Service CIDR(s), comma-separated', list(prefill.serviceCIDR), validateCidrs);
  if (svc === undefined) return undefined;
  const api = await ask(4, 'ClusterIP of the kubernetes.default Service (the apiserver)', prefill.apiServerIP ?? '', validateIP);
  if (api === undefined) return undefined;

  // A value equal to the preset's is left to the preset (no explicit copy to go stale).
  const podCIDR = splitList(pod);
  const serviceCIDR = splitList(svc);
  const apiServerIP = api.trim();
  const values: ProfileValues = {
    distribution,
    podCIDR: podCIDR.length && !(preset && sameList(podCIDR, preset.podCIDR)) ? podCIDR : null,
    serviceCIDR: serviceCIDR.length && !(preset && sameList(serviceCIDR, preset.serviceCIDR)) ? serviceCIDR : null,
    apiServerIP: apiServerIP && apiServerIP !== preset?.apiServerIP ? apiServerIP : null,
  };
  const result = await writeProfile(ctx, info.targetConfigPath, values);
  if (!result.ok) void window.showErrorMessage(`Air-Gap Lint: ${result.error}`);
  else {
    ctx.output.info(`Cluster profile ${distribution} ${result.changed ? 'written to' : 'already in'} ${result.configPath}.`);
    void window.setStatusBarMessage(`Air-Gap Lint: cluster profile ${distribution} ${result.changed ? 'written to' : 'already in'} ${result.configPath}`, 5000);
  }
  return result;
}
