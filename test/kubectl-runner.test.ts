// Running kubectl for "Detect Cluster Network with kubectl" (client/src/commands/kubectl.ts):
// no shell, a timeout, the dump stopped as soon as both flags are found, and error messages
// without credentials. Against small shell scripts standing in for kubectl.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redact, runKubectl, scanClusterInfoDump } from '../client/src/commands/kubectl';
import { FIXTURES } from './helpers';

describe('kubectl runner', function () {
  this.timeout(20_000);
  let dir: string;
  const script = (name: string, body: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return p;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airgap-kubectl-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes the arguments as they are, with --request-timeout, and no shell', async () => {
    const echo = script('echo-args', 'for a in "$@"; do printf "[%s]" "$a"; done');
    assert.equal(await runKubectl(echo, ['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}', '$(touch pwned)']), '[get][svc][kubernetes][-o][jsonpath={.spec.clusterIP}][$(touch pwned)][--request-timeout=15s]');
    assert.ok(!fs.existsSync(path.join(process.cwd(), 'pwned')));
  });

  it('says what is wrong: not found, not answering, failing (credentials redacted)', async () => {
    await assert.rejects(runKubectl(path.join(dir, 'missing-kubectl'), ['version']), /kubectl was not found \(.*missing-kubectl\)\. Set airgapLint\.kubectl\.path/);
    const slow = script('slow', 'exec sleep 10');
    const t0 = Date.now();
    await assert.rejects(runKubectl(slow, ['get', 'nodes'], undefined, 300), /did not answer in time/);
    assert.ok(Date.now() - t0 < 5000, 'stopped at the timeout');
    const failing = script('failing', 'echo \'Unable to connect to the server: Get "https://admin:s3cret@10.0.0.1:6443/api": dial tcp 10.0.0.1:6443: i/o timeout\' >&2; exit 1');
    const err = await runKubectl(failing, ['get', 'nodes']).catch((e: Error) => e);
    assert.ok(err instanceof Error);
    assert.equal(err.message, 'Unable to connect to the server: Get "https://***@10.0.0.1:6443/api": dial tcp 10.0.0.1:6443: i/o timeout');
  });

  it('stops reading the cluster-info dump once both flags are found', async () => {
    const dump = path.join(FIXTURES, 'kubectl/kind/cluster-info-dump.txt');
    // Prints the dump, then would go on for a minute.
    const endless = script('endless-dump', `cat '${dump}'; exec sleep 60`);
    const t0 = Date.now();
    assert.deepEqual(await scanClusterInfoDump(endless), { clusterCIDR: ['10.244.0.0/16'], serviceCIDR: ['10.96.0.0/16'] });
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  });

  it('a dump without the flags ends with nothing found; one that never ends is cut at the timeout', async () => {
    const eks = script('eks-dump', `cat '${path.join(FIXTURES, 'kubectl/eks/cluster-info-dump.txt')}'`);
    assert.deepEqual(await scanClusterInfoDump(eks), { clusterCIDR: undefined, serviceCIDR: undefined });
    const partial = script('partial-dump', 'echo \'"--service-cluster-ip-range=10.96.0.0/12",\'; exec sleep 60');
    const t0 = Date.now();
    assert.deepEqual(await scanClusterInfoDump(partial, undefined, 500), { clusterCIDR: undefined, serviceCIDR: ['10.96.0.0/12'] });
    assert.ok(Date.now() - t0 < 5000);
    const failing = script('failing-dump', 'echo "error: You must be logged in to the server (Unauthorized)" >&2; exit 1');
    await assert.rejects(scanClusterInfoDump(failing), /You must be logged in to the server \(Unauthorized\)/);
  });

  it('redacts user:password in URLs', () => {
    assert.equal(redact('proxy http://bob:hunter2@proxy.corp:3128 and https://tok@h/x'), 'proxy http://***@proxy.corp:3128 and https://***@h/x');
    assert.equal(redact('no credentials https://h:6443/api'), 'no credentials https://h:6443/api');
  });
});
