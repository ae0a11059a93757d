// Values files and schemas for tests that lint the same charts two ways and compare the
// findings (on-disk schema code cache; ajv against the schema interpreter).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { Engine } from '../server/src/engine/lint';
import { DiskHost } from '../server/src/engine/node-host';
import { schemaRules } from '../server/src/engine/rules/schema';
import { yamlRules } from '../server/src/engine/rules/yaml';
import { clearSchemaCache, flushSchemaCodeCache } from '../server/src/engine/schema/compile';
import type { Finding } from '../server/src/engine/types';
import { CORPUS, REPO } from './helpers';

const corpus = (p: string) => nodePath.join(CORPUS, p);
const fixture = (p: string) => nodePath.join(REPO, 'test/fixtures', p);

/** Values files with findings of many kinds: wrong types, unknown and misspelt keys. */
export function variants(text: string): string[] {
  const lines = text.split('\n');
  const typos = lines.map((l, i) => (i % 7 === 3 ? l.replace(/^(\s*)([A-Za-z][\w-]*):/, '$1$2x:') : l)).join('\n');
  const types = text
    .replace(/: true$/gm, ': "maybe"')
    .replace(/: false$/gm, ': 7')
    .replace(/: ""$/gm, ': []')
    .replace(/: (\d+)$/gm, ': "n$1"')
    .replace(/: \{\}$/gm, ': 1');
  return [text, `unknownTopLevelKey: 1\n${text}`, typos, types];
}

export interface SchemaCase {
  name: string;
  /** Values files linted; variants of the first file are linted in an overlay. */
  files: string[];
}

export const SCHEMA_CASES: SchemaCase[] = [
  { name: 'Cloudzero (2020-12, 208 KB)', files: [corpus('Cloudzero__cloudzero-agent/helm/values.yaml')] },
  {
    name: 'kubernaut HEAD stack',
    files: ['values.yaml', 'values-ocp.yaml', 'values-airgap.yaml'].map((f) => corpus(`jordigilh__kubernaut/charts/kubernaut/${f}`)),
  },
  { name: 'kubernaut a0781038', files: [corpus('jordigilh__kubernaut__a0781038/charts/kubernaut/values.yaml')] },
  { name: 'cert-manager', files: [corpus('cert-manager__cert-manager/deploy/charts/cert-manager/values.yaml')] },
  { name: 'bitnami postgresql', files: [corpus('bitnami__charts/bitnami/postgresql/values.yaml')] },
  { name: 'rancher', files: [corpus('rancher__rancher/chart/values.yaml')] },
  { name: 'fixture agent (external $ref)', files: [fixture('schema/agent/values.yaml')] },
  { name: 'fixture webapp', files: [fixture('schema/webapp/values.yaml')] },
  { name: 'fixture standalone', files: [fixture('schema/standalone/proxy-values.yaml'), fixture('schema/standalone/remote-values.yaml')] },
  { name: 'fixture layers/shop', files: fs.existsSync(fixture('layers/shop')) ? fs.readdirSync(fixture('layers/shop')).filter((f) => /\.ya?ml$/.test(f) && f !== 'Chart.yaml').map((f) => fixture(`layers/shop/${f}`)) : [] },
];

/** Every finding of every file and variant, linted by a fresh engine with empty in-memory caches. */
export function lintSchemaCase(c: SchemaCase): Finding[][] {
  clearSchemaCache();
  const out: Finding[][] = [];
  const host = new DiskHost();
  const engine = new Engine(host, { rules: [yamlRules, schemaRules] });
  for (const file of c.files) out.push(engine.lint(file).findings);
  let version = 1;
  for (const text of variants(fs.readFileSync(c.files[0], 'utf8'))) {
    host.open(c.files[0], text, version++);
    out.push(engine.lint(c.files[0]).findings);
  }
  host.close(c.files[0]);
  flushSchemaCodeCache();
  return out;
}

export function schemaCasePresent(c: SchemaCase): boolean {
  return c.files.length > 0 && c.files.every((f) => fs.existsSync(f));
}
