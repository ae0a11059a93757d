// Runs kubectl for "Detect Cluster Network with kubectl": never through a shell, read-only
// queries only, each with a timeout, and cancellable. The output is read by the pure
// server/src/engine/services/kubectl-parse.ts.
import { execFile, spawn } from 'node:child_process';
import type { CancellationToken } from 'vscode';
import { ClusterInfoDumpScanner, KUBECTL_REQUEST_TIMEOUT } from '../../../server/src/protocol';

export const QUERY_TIMEOUT_MS = 20_000;
export const DUMP_TIMEOUT_MS = 60_000;
/** Stop reading a cluster-info dump past this much output (a big cluster dumps logs too). */
export const DUMP_MAX_BYTES = 256 * 1024 * 1024;

export class KubectlError extends Error {}

/** Credentials in URLs (`https://user:pass@host`) never reach the UI or the log. */
export function redact(s: string): string {
  return s.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, '$1***@');
}

function describeFailure(binary: string, err: NodeJS.ErrnoException & { killed?: boolean; signal?: string | null }, stderr: string): KubectlError {
  if (err.code === 'ENOENT') return new KubectlError(`kubectl was not found (${binary}). Set airgapLint.kubectl.path in your user settings.`);
  if (err.code === 'EACCES') return new KubectlError(`${binary} cannot be run (permission denied).`);
  if (err.killed || err.signal) return new KubectlError(`kubectl did not answer in time and was stopped.`);
  const first = stderr.split('\n').find((l) => l.trim() !== '') ?? err.message;
  return new KubectlError(redact(first.trim()).slice(0, 400));
}

/** Runs `binary args…` and returns its stdout. */
export function runKubectl(binary: string, args: readonly string[], token?: CancellationToken, timeout = QUERY_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      binary,
      [...args, KUBECTL_REQUEST_TIMEOUT],
      { timeout, maxBuffer: 4 * 1024 * 1024, windowsHide: true, shell: false, encoding: 'utf8' },
      (err, stdout, stderr) => {
        sub?.dispose();
        if (err) reject(describeFailure(binary, err as NodeJS.ErrnoException, String(stderr ?? '')));
        else resolve(String(stdout));
      },
    );
    const sub = token?.onCancellationRequested(() => child.kill());
  });
}

/**
 * `kubectl cluster-info dump`, scanned as it streams (the equivalent of `| grep -m1`): the
 * process is stopped as soon as both flags are found, at the byte limit, or at the timeout.
 */
export function scanClusterInfoDump(binary: string, token?: CancellationToken, timeout = DUMP_TIMEOUT_MS): Promise<{ clusterCIDR?: string[]; serviceCIDR?: string[] }> {
  return new Promise((resolve, reject) => {
    const scanner = new ClusterInfoDumpScanner();
    const child = spawn(binary, ['cluster-info', 'dump', KUBECTL_REQUEST_TIMEOUT], { shell: false, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sub?.dispose();
      if (child.exitCode === null) child.kill();
      if (err) reject(err);
      else resolve({ clusterCIDR: scanner.clusterCIDR, serviceCIDR: scanner.serviceCIDR });
    };
    const timer = setTimeout(() => finish(), timeout);
    const sub = token?.onCancellationRequested(() => finish());
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      bytes += chunk.length;
      scanner.feed(chunk);
      if (scanner.done || bytes > DUMP_MAX_BYTES) finish();
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk;
    });
    child.on('error', (err) => finish(describeFailure(binary, err as NodeJS.ErrnoException, stderr)));
    child.on('close', (code) => {
      if (!settled) scanner.end();
      // A failing dump is no reason to drop what the other queries found: report nothing found.
      if (code && !scanner.clusterCIDR && !scanner.serviceCIDR && stderr.trim()) finish(describeFailure(binary, new Error(`exit ${code}`), stderr));
      else finish();
    });
  });
}
