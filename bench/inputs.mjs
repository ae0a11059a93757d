// Benchmark inputs, generated at run time into .bench-tmp/inputs/ (nothing large is committed):
//   kps      kube-prometheus-stack values.yaml (5,981 lines) + a strict schema inferred from it, with
//            the chart's knowledge (Chart.yaml names it)
//   kps4     the same file nested under 4 top-level keys (~24k lines), schema via $ref
//   aliases  100 anchors and 1,600 merge aliases `<<: *aN` (~5.1k lines), no schema
//   stack    kps with a proxied env set, a cluster profile and a mirror (.airgap-lint.yaml),
//            under an air-gap overlay: every rule family runs (proxy, images, layering);
//            an edit of the base re-lints the base and the overlay, as the server does
// Each input is a chart folder (Chart.yaml, values.yaml, values.schema.json) so that our engine
// discovers the schema exactly as it does for a user; yaml-language-server gets the same schema.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { inferSchema } from './infer-schema.mjs';

// A byte-for-byte copy of the chart's values.yaml (origin and licence in its SOURCES.md).
const KPS = 'test/fixtures/charts/kube-prometheus-stack/values.yaml';

function chartYaml(name) {
  return `apiVersion: v2\nname: ${name}\nversion: 0.1.0\ndescription: airgap-lint benchmark input\n`;
}

function writeChart(dir, name, values, schema) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), chartYaml(name));
  writeFileSync(join(dir, 'values.yaml'), values);
  if (schema) writeFileSync(join(dir, 'values.schema.json'), JSON.stringify(schema, null, 2));
  return { name, dir, valuesPath: join(dir, 'values.yaml'), schema: schema ?? null, lines: values.split('\n').length - (values.endsWith('\n') ? 1 : 0) };
}

/** kps nested under copy1..copy4: every line indented by two spaces (blank lines stay blank). */
function nestFour(text) {
  const body = text
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : '  ' + l))
    .join('\n');
  return ['copy1', 'copy2', 'copy3', 'copy4'].map((k) => `${k}:\n${body.endsWith('\n') ? body : body + '\n'}`).join('');
}

/** 100 anchored maps, then 1,600 entries that merge one of them, as in the research's bench-anchors.js. */
export function aliasHeavy(anchors = 100, aliases = 1600) {
  const lines = ['# airgap-lint benchmark: anchors and merge keys', 'defaults:'];
  for (let a = 0; a < anchors; a++) {
    lines.push(`  d${a}: &a${a}`, `    image: registry.example.com/team${a}/app`, `    pullPolicy: IfNotPresent`);
  }
  lines.push('services:');
  for (let i = 0; i < aliases; i++) {
    lines.push(`  svc${i}:`, `    <<: *a${i % anchors}`, `    name: service${i}`);
  }
  return lines.join('\n') + '\n';
}

export function generateInputs(root) {
  const kpsText = readFileSync(KPS, 'utf8');
  const kpsSchema = { $schema: 'http://json-schema.org/draft-07/schema#', ...inferSchema(parse(kpsText, { merge: true, version: '1.1' })) };
  const { $schema: _drop, ...kpsDef } = kpsSchema;
  const kps4Schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    definitions: { kps: kpsDef },
    type: 'object',
    properties: Object.fromEntries(['copy1', 'copy2', 'copy3', 'copy4'].map((k) => [k, { $ref: '#/definitions/kps' }])),
    additionalProperties: false,
  };
  const tiny = 'image:\n  repository: nginx\n  tag: "1.27"\nreplicas: 1\n';
  return {
    warmup: writeChart(join(root, 'warmup'), 'warmup', tiny, { $schema: 'http://json-schema.org/draft-07/schema#', ...inferSchema(parse(tiny)) }),
    inputs: [
      // Named as the chart is, so that its chart knowledge (schemas/charts/) applies as for a user.
      { ...writeChart(join(root, 'kps'), 'kube-prometheus-stack', kpsText, kpsSchema), label: 'kube-prometheus-stack values.yaml' },
      { ...writeChart(join(root, 'kps4'), 'kps4', nestFour(kpsText), kps4Schema), label: 'kps x4 (nested under 4 keys)' },
      { ...writeChart(join(root, 'aliases'), 'aliases', aliasHeavy(), null), label: 'aliases (100 anchors, 1,600 merges)' },
      proxiedStack(join(root, 'stack'), kpsText, kpsSchema),
    ],
  };
}

/**
 * kube-prometheus-stack as the base of an air-gap stack: a proxied env set in the base (in
 * `crds.upgradeJob.env`, an open map in the inferred schema, so the schema still accepts it),
 * a k3s profile and a mirror in `.airgap-lint.yaml`, and a small `values-airgap.yaml` overlay
 * that moves the images to the mirror and pins one tag.
 */
function proxiedStack(dir, kpsText, schema) {
  const anchor = '\n    env: {}\n';
  if (!kpsText.includes(anchor)) throw new Error('bench: kps no longer has crds.upgradeJob.env: {}');
  const proxied = kpsText.replace(
    anchor,
    '\n    env:\n      HTTPS_PROXY: http://proxy.corp.example:3128\n      HTTP_PROXY: http://proxy.corp.example:3128\n      NO_PROXY: localhost,127.0.0.1,.svc,10.43.0.0/16\n',
  );
  const input = writeChart(dir, 'kube-prometheus-stack', proxied, schema);
  writeFileSync(join(dir, '.airgap-lint.yaml'), 'cluster:\n  distribution: k3s\n  cloud: none\nmirror:\n  registry: harbor.corp.example:5000\n  layout: nested\n');
  const overlay = join(dir, 'values-airgap.yaml');
  writeFileSync(overlay, 'global:\n  imageRegistry: harbor.corp.example:5000\nprometheusOperator:\n  image:\n    tag: v0.80.0\n');
  return { ...input, alsoLint: [overlay], label: 'kps proxied, with profile, mirror and air-gap overlay' };
}

const BOOLISH = /^(y|yes|n|no|true|false|on|off|null)$/i;

/**
 * Where the benchmark types: the last character of a plain string value on the line nearest the
 * middle of the file (so the schema still accepts every version).
 */
export function editSite(text) {
  const lines = text.split('\n');
  const offsets = [];
  let o = 0;
  for (const l of lines) {
    offsets.push(o);
    o += l.length + 1;
  }
  const mid = lines.length >> 1;
  const re = /^\s*[A-Za-z0-9_.-]+: ([A-Za-z][A-Za-z0-9_./-]{2,}[A-Za-z0-9])\s*$/;
  for (let d = 0; d < lines.length; d++) {
    for (const i of [mid + d, mid - d]) {
      const m = i >= 0 && i < lines.length ? re.exec(lines[i]) : null;
      if (m && !BOOLISH.test(m[1])) {
        const valueStart = lines[i].indexOf(m[1], lines[i].indexOf(':') + 1);
        return { line: i, offset: offsets[i] + valueStart + m[1].length - 1, lineText: lines[i] };
      }
    }
  }
  throw new Error('no editable value found');
}

const LETTERS = 'qxzjkvQXZJKV';

/** Version i of the text: one character replaced; consecutive versions always differ. */
export function editedText(text, site, i) {
  const letters = LETTERS.replace(text[site.offset], '');
  return text.slice(0, site.offset) + letters[i % letters.length] + text.slice(site.offset + 1);
}
