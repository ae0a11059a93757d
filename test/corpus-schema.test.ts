// Schema validation on real charts (test/corpus, see SOURCES.md there): their own values
// files against their own schemas, the kubernaut layer stacks, and the time it takes.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { applyEdits } from '../server/src/engine/fixes';
import { Engine } from '../server/src/engine/lint';
import { DiskHost } from '../server/src/engine/node-host';
import { schemaRules } from '../server/src/engine/rules/schema';
import { yamlRules } from '../server/src/engine/rules/yaml';
import { clearSchemaCache, schemaCompileCount } from '../server/src/engine/schema';
import type { Finding } from '../server/src/engine/types';
import { CORPUS, range } from './helpers';

const corpus = (p: string) => nodePath.join(CORPUS, p);
const schemaOf = (findings: Finding[]) => findings.filter((f) => f.code.startsWith('schema/'));
/** Only the YAML and schema families: these tests must not depend on what other rule families find. */
const engineFor = (host = new DiskHost(), settings = {}) => new Engine(host, { rules: [yamlRules, schemaRules], settings });

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const KUBERNAUT_OLD = 'jordigilh__kubernaut__a0781038/charts/kubernaut';
const KUBERNAUT_HEAD = 'jordigilh__kubernaut/charts/kubernaut';
const stackOf = (dir: string) => ['values.yaml', 'values-ocp.yaml', 'values-airgap.yaml'].map((f) => corpus(`${dir}/${f}`));

const available = fs.existsSync(CORPUS);

(available ? describe : describe.skip)('schema on the corpus', function () {
  this.timeout(60000);

  for (const [name, file] of [
    ['bitnami postgresql (draft "schema#")', 'bitnami__charts/bitnami/postgresql/values.yaml'],
    ['cert-manager (draft-07, $defs)', 'cert-manager__cert-manager/deploy/charts/cert-manager/values.yaml'],
    ['rancher (2020-12, urn $id)', 'rancher__rancher/chart/values.yaml'],
  ]) {
    it(`${name}: its values.yaml gives zero schema findings against its own schema`, () => {
      const findings = engineFor().lint(corpus(file)).findings;
      assert.deepEqual(schemaOf(findings), []);
      assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
    });
  }

  it('cert-manager: a typo in a real key is caught with a rename to the real key', () => {
    const file = corpus('cert-manager__cert-manager/deploy/charts/cert-manager/values.yaml');
    const host = new DiskHost();
    const text = fs.readFileSync(file, 'utf8').replace(/^installCRDs: false$/m, 'instalCRDs: false');
    host.open(file, text, 1);
    const findings = schemaOf(engineFor(host).lint(file).findings);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].message, 'Unknown key "instalCRDs" at the top level. Did you mean "installCRDs"?');
    const line = text.split('\n').findIndex((l) => l.startsWith('instalCRDs'));
    assert.deepEqual(findings[0].range, range(line, 0, line, 10));
    host.open(file, applyEdits(text, findings[0].fixes[0].edits).text, 2);
    assert.deepEqual(schemaOf(engineFor(host).lint(file).findings), []);
  });

  it('kube-prometheus-stack (6k lines, no schema): lints without any error', () => {
    const findings = engineFor().lint(corpus('prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml')).findings;
    assert.deepEqual(findings.filter((f) => f.severity === 'error'), []);
    assert.deepEqual(schemaOf(findings), []);
  });

  it('Cloudzero (208 KB 2020-12 schema): the one finding is the null chart default that the schema types as string', () => {
    clearSchemaCache();
    const file = corpus('Cloudzero__cloudzero-agent/helm/values.yaml');
    const host = new DiskHost();
    const engine = engineFor(host);
    const compilesBefore = schemaCompileCount();
    const first = timed(() => engine.lint(file));
    const second = timed(() => engine.lint(file));
    const text = fs.readFileSync(file, 'utf8');
    host.open(file, text.replace('host: api.cloudzero.com', 'host: api.cloudzero.example'), 1);
    const edit = timed(() => engine.lint(file));
    assert.equal(schemaCompileCount() - compilesBefore, 1);
    console.log(`      Cloudzero values.yaml: first lint ${first.ms.toFixed(0)} ms (parse + compile), second ${second.ms.toFixed(1)} ms, after an edit ${edit.ms.toFixed(1)} ms`);
    const findings = schemaOf(first.value.findings);
    assert.deepEqual(findings.map((f) => [f.code, f.range, f.message, f.detail]), [
      ['schema/type', range(312, 25, 312, 29), 'components.apiKey.secretProviderClass must be string (got null)', undefined],
    ]);
    assert.equal(text.split('\n')[312].trim(), 'secretProviderClass: null');
    assert.deepEqual(schemaOf(second.value.findings), findings);
  });

  describe('kubernaut a0781038: values.yaml + values-ocp.yaml + values-airgap.yaml (layers from the config)', () => {
    const files = stackOf(KUBERNAUT_OLD);

    it('validates each layer on the merged values: no schema finding in the consistent stack', () => {
      clearSchemaCache();
      const engine = engineFor(new DiskHost(), { layers: [files] });
      const first = timed(() => files.map((f) => engine.lint(f)));
      const second = timed(() => files.map((f) => engine.lint(f)));
      console.log(`      kubernaut a0781038 stack (3 files): first lint ${first.ms.toFixed(0)} ms, second ${second.ms.toFixed(1)} ms`);
      for (const result of first.value) assert.deepEqual(schemaOf(result.findings), [], result.path);
      // What the stack does have: values-ocp.yaml repeats its top-level `tls` key (L69, L75).
      assert.deepEqual(first.value[1].findings.map((f) => [f.code, f.range.start.line + 1]), [['yaml/duplicate-key', 75]]);
    });

    it('the overlays are really merged: postgresql.variant from values-ocp.yaml is judged against the enum, with a fix', () => {
      const host = new DiskHost();
      const ocp = files[1];
      const text = fs.readFileSync(ocp, 'utf8').replace('  variant: ocp', '  variant: OCP');
      host.open(ocp, text, 1);
      const engine = engineFor(host, { layers: [files] });
      const findings = schemaOf(engine.lint(ocp).findings);
      assert.deepEqual(findings.map((f) => [f.code, f.range, f.message]), [
        ['schema/enum', range(33, 11, 33, 14), 'postgresql.variant must be one of "upstream", "ocp" (got string "OCP"). Did you mean "ocp"?'],
      ]);
      // values-airgap.yaml sits on top: the error is values-ocp.yaml's, not repeated there.
      assert.deepEqual(schemaOf(engine.lint(files[2]).findings), []);
      host.open(ocp, applyEdits(text, findings[0].fixes[0].edits).text, 2);
      assert.deepEqual(schemaOf(engine.lint(ocp).findings), []);
    });
  });

  it("kubernaut HEAD: the stale values-ocp.yaml breaks the newer schema, reported in values-ocp.yaml where each key is", () => {
    const files = stackOf(KUBERNAUT_HEAD);
    const engine = engineFor(new DiskHost(), { layers: [files] });
    const [base, ocp, airgap] = files.map((f) => schemaOf(engine.lint(f).findings));
    assert.deepEqual(ocp.map((f) => [f.code, f.range.start.line + 1, f.message, f.detail]), [
      ['schema/additionalProperties', 34, 'Unknown key "variant" in postgresql', undefined],
      ['schema/additionalProperties', 52, 'Unknown key "initImage" in effectivenessmonitor', undefined],
      ['schema/additionalProperties', 77, 'Unknown key "enabled" in tls.interService', 'Allowed here: certDir, caFile.'],
    ]);
    // The chart's own defaults fail its `anyOf` on *.policies (Helm refuses to render without
    // Rego policies): one summary each, on the base, not repeated on the overlays.
    assert.deepEqual(base.map((f) => [f.code, f.range.start.line + 1]), [
      ['schema/anyOf', 283],
      ['schema/anyOf', 305],
    ]);
    assert.equal(base[0].message, 'aianalysis.policies matches none of the accepted forms (got a map): (1) content must have at least 1 character');
    assert.equal(base[0].detail, '(2) existingConfigMap must have at least 1 character.');
    assert.deepEqual(airgap, []);
  });
});
