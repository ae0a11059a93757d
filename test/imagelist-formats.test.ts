// Image mirror list output formats (server/src/engine/imagelist/formats): every format read back
// by an independent parser — `yaml` (as YAML 1.2 and as YAML 1.1, which Go's yaml.v2 speaks),
// JSON.parse, `sh -n` and a run of the skopeo script against a stand-in `skopeo` — and checked for
// kind, apiVersion, fields and the exact set of references (research: egress-and-image-lists.md
// §3). Fixtures in test/fixtures/imagelist: Kubernaut (quay.io services, a digest-pinned
// bitnami/kubectl, Red Hat images, a registry with a port, a digest-only image, optional images,
// an invalid value) with a nested mirror, a flat mirror and none; Robusta/HolmesGPT with optional
// MCP add-ons on us-central1-docker.pkg.dev and a mirror with a project prefix; a stack whose
// overlay points at the `<mirror-registry>` placeholder.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { parseAllDocuments } from 'yaml';
import { goTimestamp } from '../server/src/engine/imagelist/formats/imageslock';
import { formatImageList, IMAGE_LIST_FORMATTERS, type ListImageListFormat } from '../server/src/engine/imagelist/formats';
import { shellQuote } from '../server/src/engine/imagelist/formats/skopeo-copy';
import { IMAGE_LIST_FORMATS, type ImageList, type ImageListEntry, type ImageListFormatOptions } from '../server/src/engine/imagelist/types';
import { mirrorImage } from '../server/src/engine/images/mirror';
import { parseReference } from '../server/src/engine/images/reference';

const FIXTURES = nodePath.join(__dirname, 'fixtures', 'imagelist');
const NOW = new Date('2026-05-01T12:00:00Z');
const KUBECTL_DIGEST = 'sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564';
const INVALID_LINE =
  '# invalid: quay.io/kubernaut-ai/Gateway:1.6.0 (charts/kubernaut/values-airgap.yaml:12): repository name must be lowercase';
const OPTIONAL_LINE = '# only if console.enabled is true';

function load(name: string): ImageList {
  return JSON.parse(fs.readFileSync(nodePath.join(FIXTURES, `${name}.json`), 'utf8')) as ImageList;
}

const nested = load('kubernaut-nested');
const flat = load('kubernaut-flat');
const unmirrored = load('kubernaut-unmirrored');
const robusta = load('robusta-holmes-mcp');
const placeholder = load('kubernaut-placeholder-mirror');
const ALL_FIXTURES: Record<string, ImageList> = { nested, flat, unmirrored, robusta, placeholder };

const LIST_FORMATS = IMAGE_LIST_FORMATS.filter((f): f is ListImageListFormat => f !== 'overlay');
const YAML_FORMATS: ListImageListFormat[] = ['oc-mirror', 'oc-mirror-v1', 'skopeo-sync', 'hauler', 'zarf', 'imageslock', 'idms'];
const REF_FORMATS: ListImageListFormat[] = ['list', 'json', 'oc-mirror', 'oc-mirror-v1', 'hauler', 'zarf', 'imageslock'];

function fmt(list: ImageList, format: ListImageListFormat, options: ImageListFormatOptions = {}): string {
  return formatImageList(list, format, { now: NOW, ...options });
}

/** Every document of a YAML stream as plain data; no errors or warnings, and YAML 1.1 reads the same. */
function yamlDocs(text: string, alsoYaml11 = true): any[] {
  const docs = parseAllDocuments(text);
  assert.ok(Array.isArray(docs), 'a YAML stream');
  for (const d of docs) {
    assert.deepEqual(d.errors, [], `YAML errors: ${d.errors.map((e) => e.message).join('; ')}`);
    assert.deepEqual(d.warnings, [], `YAML warnings: ${d.warnings.map((e) => e.message).join('; ')}`);
  }
  const values = docs.map((d) => d.toJS());
  if (!alsoYaml11) return values.filter((v) => v !== null && v !== undefined);
  const v11 = parseAllDocuments(text, { version: '1.1' });
  assert.ok(Array.isArray(v11));
  assert.deepEqual(
    v11.map((d) => d.toJS()),
    values,
    'YAML 1.1 reads the same values',
  );
  return values.filter((v) => v !== null && v !== undefined);
}

function yamlDoc(text: string, alsoYaml11 = true): any {
  const docs = yamlDocs(text, alsoYaml11);
  assert.equal(docs.length, 1, 'one YAML document');
  return docs[0];
}

function selected(list: ImageList, excludeOptional = false): ImageListEntry[] {
  return list.images.filter((e) => !(excludeOptional && e.optional != null));
}

/** The references a format writes, read back with that format's own parser. */
function referencesIn(format: ListImageListFormat, text: string, alsoYaml11 = true): string[] {
  switch (format) {
    case 'list':
      return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    case 'json':
      return JSON.parse(text).images.map((i: any) => i.source);
    case 'oc-mirror':
    case 'oc-mirror-v1':
      return (yamlDoc(text, alsoYaml11).mirror.additionalImages as any[]).map((i) => i.name);
    case 'hauler':
      return (yamlDoc(text, alsoYaml11).spec.images as any[]).map((i) => i.name);
    case 'zarf':
      return (yamlDoc(text, alsoYaml11).components as any[]).flatMap((c) => c.images);
    case 'imageslock':
      return (yamlDoc(text, alsoYaml11).images as any[]).map((i) => i.image);
    default:
      throw new Error(`no reference reader for ${format}`);
  }
}

/** skopeo sync's YAML read as skopeo does (cmd/skopeo/sync.go): a digest when it parses as one, else a tag. */
function syncReferences(text: string, alsoYaml11 = true): string[] {
  const doc = yamlDoc(text, alsoYaml11);
  const refs: string[] = [];
  for (const [registry, config] of Object.entries<any>(doc)) {
    assert.deepEqual(Object.keys(config), ['images'], `${registry}: only images`);
    for (const [repository, items] of Object.entries<any>(config.images)) {
      assert.ok(Array.isArray(items) && items.length > 0, `${registry}/${repository}: a non-empty list ([] means every tag)`);
      for (const item of items) {
        assert.equal(typeof item, 'string', `${registry}/${repository}: ${item} is a string`);
        refs.push(/^sha(256|384|512):[0-9a-f]+$/.test(item) ? `${registry}/${repository}@${item}` : `${registry}/${repository}:${item}`);
      }
    }
  }
  return refs;
}

/** What a runtime pulls for an entry, as one tag or one digest (the docker transport takes one of them). */
function pullRef(e: ImageListEntry): string {
  return e.digest ? `${e.registry}/${e.repository}@${e.digest}` : `${e.registry}/${e.repository}:${e.tag ?? 'latest'}`;
}

function mirrorRepository(e: ImageListEntry): string | null {
  if (!e.mirror) return null;
  const r = parseReference(e.mirror);
  return r.ok ? r.name : null;
}

// openshift/api config/v1/types_image_digest_mirror_set.go validation patterns (Source, ImageMirror).
const IDMS_SOURCE =
  /^\*(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+$|^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:\/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$/;
const IDMS_MIRROR =
  /^((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))+)?(?::[0-9]+)?)(?:(?:\/[a-z0-9]+(?:(?:(?:[._]|__|[-]*)[a-z0-9]+)+)?)+)?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ZARF_NAME = /^[a-z0-9][a-z0-9-]*$/;

function shCheck(script: string): void {
  const r = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, `sh -n: ${r.stderr}`);
}

interface ScriptRun {
  status: number | null;
  stderr: string;
  calls: string[][];
}

/** Runs the script with a stand-in `skopeo` first on PATH that records its arguments. */
function runScript(script: string): ScriptRun {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'airgap-lint-skopeo-'));
  try {
    const log = nodePath.join(dir, 'calls.log');
    fs.writeFileSync(nodePath.join(dir, 'skopeo'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> "$LOG"; done\nprintf '%s\\n' '--end--' >> "$LOG"\n`, { mode: 0o755 });
    fs.writeFileSync(nodePath.join(dir, 'copy.sh'), script);
    const r = spawnSync('sh', [nodePath.join(dir, 'copy.sh')], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, LOG: log } });
    const calls: string[][] = [];
    if (fs.existsSync(log)) {
      let current: string[] = [];
      for (const line of fs.readFileSync(log, 'utf8').split('\n').slice(0, -1)) {
        if (line === '--end--') {
          calls.push(current);
          current = [];
        } else current.push(line);
      }
    }
    return { status: r.status, stderr: r.stderr, calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function entry(registry: string, repository: string, tag: string | null, digest: string | null = null, extra: Partial<ImageListEntry> = {}): ImageListEntry {
  const source = `${registry}/${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { source, mirror: null, digest, registry, repository, tag, optional: null, enabledBy: null, sources: [{ path: 'values.yaml', line: 1 }], key: 'image', ...extra };
}

function withMirror(list: ImageList, registry: string, layout: 'nested' | 'flat'): ImageList {
  return {
    ...list,
    mirror: { registry, layout },
    images: list.images.map((e) => {
      const r = mirrorImage(e.source, { registry, layout });
      assert.ok(r.ok, r.ok ? '' : r.message);
      return { ...e, mirror: r.reference };
    }),
  };
}

describe('image list formats', () => {
  describe('fixtures', () => {
    it('mirror references are what the project mirror rewrite gives (mirror.ts)', () => {
      for (const list of [nested, flat, robusta]) {
        for (const e of list.images) {
          const r = mirrorImage(e.source, list.mirror!);
          assert.ok(r.ok);
          assert.equal(e.mirror, r.reference, e.source);
        }
      }
      assert.ok(unmirrored.images.every((e) => e.mirror === null));
    });

    it('entries are sorted, unique, and their parts make up the source', () => {
      for (const [name, list] of Object.entries(ALL_FIXTURES)) {
        const sources = list.images.map((e) => e.source);
        assert.deepEqual(sources, [...new Set(sources)].sort(), name);
        for (const e of list.images) {
          const r = parseReference(e.source);
          assert.ok(r.ok, e.source);
          assert.equal(r.domain, e.registry);
          assert.equal(r.path, e.repository);
          assert.equal(r.tag ?? null, e.tag);
          assert.equal(r.digest ?? null, e.digest);
        }
      }
    });
  });

  describe('every format', () => {
    it('is registered, and overlay and unknown formats throw clear errors', () => {
      assert.deepEqual(Object.keys(IMAGE_LIST_FORMATTERS).sort(), [...LIST_FORMATS].sort());
      assert.throws(() => formatImageList(nested, 'overlay'), { message: 'the overlay format is built from the values stack, not from the list' });
      assert.throws(() => formatImageList(nested, 'docker-compose' as any), /unknown image list format "docker-compose"/);
      assert.throws(() => formatImageList(nested, 'toString' as any), /unknown image list format/);
    });

    for (const format of REF_FORMATS) {
      it(`${format}: lists exactly the images, optional ones left out on request`, () => {
        for (const [name, list] of Object.entries(ALL_FIXTURES)) {
          for (const excludeOptional of [false, true]) {
            const refs = referencesIn(format, fmt(list, format, { excludeOptional }));
            const expected = selected(list, excludeOptional).map((e) => e.source);
            assert.deepEqual([...refs].sort(), [...expected].sort(), `${name}, excludeOptional=${excludeOptional}`);
            assert.equal(new Set(refs).size, refs.length, 'no duplicates');
          }
        }
      });
    }

    it('keep registries with a port and digests intact', () => {
      for (const format of REF_FORMATS) {
        const refs = referencesIn(format, fmt(nested, format));
        assert.ok(refs.includes('harbor.corp:5000/team/app:1.0'), format);
        assert.ok(refs.includes('registry.internal:5000/platform/log-shipper:2.3.1'), format);
        assert.ok(refs.includes(`docker.io/bitnami/kubectl:latest@${KUBECTL_DIGEST}`), format);
        assert.ok(refs.some((r) => /^registry\.redhat\.io\/ubi9\/ubi-minimal@sha256:[0-9a-f]{64}$/.test(r)), format);
      }
      const sync = syncReferences(fmt(nested, 'skopeo-sync'));
      assert.ok(sync.includes('harbor.corp:5000/team/app:1.0'));
      assert.ok(sync.includes(`docker.io/bitnami/kubectl@${KUBECTL_DIGEST}`));
    });

    it('start with a header naming the generator and the values files', () => {
      for (const format of LIST_FORMATS.filter((f) => f !== 'json')) {
        const text = fmt(nested, format);
        const head = text.split('\n').slice(0, 12).join('\n');
        assert.ok(
          head.includes('# Generated by airgap-lint from charts/kubernaut/values.yaml, charts/kubernaut/values-ocp.yaml, charts/kubernaut/values-airgap.yaml.'),
          format,
        );
        assert.ok(head.includes('chart kubernaut 1.6.0; mirror harbor.corp:5000 (nested layout)'), format);
        assert.ok(head.includes('19 images, 2 of them optional'), format);
        assert.ok(fmt(nested, format, { excludeOptional: true }).includes('2 optional images left out'), format);
      }
    });

    it('list invalid values as comments, never as references', () => {
      for (const format of LIST_FORMATS) {
        const text = fmt(nested, format);
        if (format === 'json') {
          assert.deepEqual(JSON.parse(text).invalid, nested.invalid);
          continue;
        }
        assert.ok(text.split('\n').includes(INVALID_LINE), format);
        for (const line of text.split('\n')) {
          if (line.includes('Gateway')) assert.ok(line.trimStart().startsWith('#'), `${format}: ${line}`);
        }
      }
    });

    it('mark optional images with "# only if …" and drop them with excludeOptional', () => {
      for (const format of LIST_FORMATS.filter((f) => f !== 'json')) {
        const text = fmt(nested, format);
        assert.ok(text.split('\n').some((l) => l.trim() === OPTIONAL_LINE), format);
        const without = fmt(nested, format, { excludeOptional: true });
        assert.ok(!without.includes('only if'), format);
        assert.ok(!without.includes('oauth2-proxy'), format);
        assert.ok(!without.includes('log-shipper'), format);
      }
    });

    it('YAML formats parse (1.2 and 1.1) and their comments stay comments', () => {
      for (const format of YAML_FORMATS) {
        for (const [name, list] of Object.entries(ALL_FIXTURES)) {
          const data = yamlDocs(fmt(list, format));
          const text = JSON.stringify(data);
          if (format !== 'zarf') assert.ok(!text.includes('only if'), `${format}/${name}: a comment leaked into the data`);
          assert.ok(!text.includes('invalid:'), `${format}/${name}`);
          assert.ok(!text.includes('Generated by'), `${format}/${name}`);
        }
      }
    });

    it('are deterministic', () => {
      for (const format of LIST_FORMATS) assert.equal(fmt(robusta, format), fmt(robusta, format), format);
    });
  });

  describe('list', () => {
    it('writes one reference per line, sorted and unique, each condition on the line above', () => {
      const shuffled: ImageList = { ...nested, images: [...nested.images].reverse().concat(nested.images.slice(0, 3)) };
      const text = fmt(shuffled, 'list');
      const refs = referencesIn('list', text);
      assert.deepEqual(refs, nested.images.map((e) => e.source));
      const lines = text.split('\n');
      const at = lines.indexOf('quay.io/oauth2-proxy/oauth2-proxy:v7.9.0');
      assert.equal(lines[at - 1], OPTIONAL_LINE);
      for (const r of refs) assert.ok(!/\s/.test(r), `no trailing comment on ${r}`);
      assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
    });

    it('words a condition as "only if …" once, with the value that turns it on when known', () => {
      const list: ImageList = {
        images: [
          entry('quay.io', 'org/a', '1', null, { optional: 'metrics.enabled is true', enabledBy: { path: 'values.yaml', line: 3 } }),
          entry('quay.io', 'org/b', '1', null, { optional: 'only if tracing.enabled is true' }),
          entry('quay.io', 'org/c', '1', null, { optional: '' }),
        ],
        invalid: [],
        files: ['values.yaml'],
      };
      const comments = fmt(list, 'list').split('\n').filter((l) => l.startsWith('# only if'));
      assert.deepEqual(comments, ['# only if metrics.enabled is true (values.yaml:3)', '# only if tracing.enabled is true', '# only if enabled']);
    });

    it('reads the way hauler --image-txt reads it (blank and # lines skipped, the rest taken whole)', () => {
      const refs = fmt(robusta, 'list')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'));
      for (const r of refs) assert.ok(parseReference(r).ok, r);
      assert.equal(refs.length, robusta.images.length);
    });
  });

  describe('json', () => {
    it('is the product.md contract plus "invalid"', () => {
      const out = JSON.parse(fmt(nested, 'json'));
      assert.deepEqual(Object.keys(out), ['version', 'images', 'invalid']);
      assert.equal(out.version, 1);
      assert.equal(out.images.length, nested.images.length);
      out.images.forEach((img: any, i: number) => {
        const e = nested.images[i];
        assert.deepEqual(Object.keys(img), ['source', 'mirror', 'digest', 'optional', 'enabledBy', 'sources']);
        assert.equal(img.source, e.source);
        assert.equal(img.mirror, e.mirror);
        assert.equal(img.digest, e.digest);
        assert.equal(img.optional, e.optional);
        assert.deepEqual(img.enabledBy, e.enabledBy);
        for (const s of img.sources) assert.deepEqual(Object.keys(s), ['path', 'line']);
        assert.deepEqual(img.sources, e.sources);
      });
      const kubectl = out.images.find((i: any) => i.source.startsWith('docker.io/bitnami/kubectl'));
      assert.equal(kubectl.digest, KUBECTL_DIGEST);
      assert.equal(kubectl.mirror, `harbor.corp:5000/bitnami/kubectl:latest@${KUBECTL_DIGEST}`);
      const oauth = out.images.find((i: any) => i.source.includes('oauth2-proxy'));
      assert.equal(oauth.optional, 'console.enabled is true');
      assert.equal(oauth.enabledBy, null);
      const robustaOut = JSON.parse(fmt(robusta, 'json'));
      const holmes = robustaOut.images.find((i: any) => i.source === 'docker.io/robustadev/holmes:0.39.0');
      assert.deepEqual([holmes.optional, holmes.enabledBy], [null, { path: 'values-robusta-airgap.yaml', line: 2 }]);
      assert.deepEqual(Object.keys(out.invalid[0]), ['value', 'path', 'line', 'key', 'reason']);
    });

    it('writes null mirrors without mirror.registry and leaves out optional images on request', () => {
      const out = JSON.parse(fmt(unmirrored, 'json', { excludeOptional: true }));
      assert.ok(out.images.every((i: any) => i.mirror === null && i.optional === null && i.enabledBy === null));
      assert.equal(out.images.length, 17);
    });
  });

  describe('oc-mirror', () => {
    it('v2: ImageSetConfiguration mirror.openshift.io/v2alpha1 with additionalImages and no storageConfig', () => {
      const doc = yamlDoc(fmt(nested, 'oc-mirror'));
      assert.deepEqual(Object.keys(doc).sort(), ['apiVersion', 'kind', 'mirror']);
      assert.equal(doc.kind, 'ImageSetConfiguration');
      assert.equal(doc.apiVersion, 'mirror.openshift.io/v2alpha1');
      assert.deepEqual(Object.keys(doc.mirror), ['additionalImages']);
      for (const i of doc.mirror.additionalImages) assert.deepEqual(Object.keys(i), ['name']);
    });

    it('v1: mirror.openshift.io/v1alpha2 with storageConfig.local.path', () => {
      const doc = yamlDoc(fmt(nested, 'oc-mirror-v1'));
      assert.equal(doc.kind, 'ImageSetConfiguration');
      assert.equal(doc.apiVersion, 'mirror.openshift.io/v1alpha2');
      assert.deepEqual(doc.storageConfig, { local: { path: './mirror-storage' } });
      assert.equal(doc.mirror.additionalImages.length, nested.images.length);
      const custom = yamlDoc(fmt(nested, 'oc-mirror-v1', { storagePath: '/var/lib/oc mirror: "kubernaut"' }));
      assert.equal(custom.storageConfig.local.path, '/var/lib/oc mirror: "kubernaut"');
    });

    it('names the destination where oc-mirror lands every image at its mirror reference (nested), and warns for flat', () => {
      const text = fmt(nested, 'oc-mirror');
      assert.ok(text.includes('docker://harbor.corp:5000 --v2'));
      // oc-mirror pushes to DEST/<source path> (local_stored_collector.go): check the claim.
      for (const e of nested.images) if (!e.source.startsWith('harbor.corp:5000/')) assert.equal(mirrorRepository(e), `harbor.corp:5000/${e.repository}`);
      assert.ok(fmt(robusta, 'oc-mirror').includes('docker://harbor.corp:5000/robusta --v2'));
      const flatText = fmt(flat, 'oc-mirror');
      assert.ok(flatText.includes('docker://DEST --v2'));
      assert.ok(flatText.includes('--format skopeo-copy'));
    });
  });

  describe('skopeo-sync', () => {
    it('groups by source registry (ports kept), lists tags or digests, never an empty list', () => {
      const text = fmt(nested, 'skopeo-sync');
      const doc = yamlDoc(text);
      assert.deepEqual(Object.keys(doc), ['docker.io', 'harbor.corp:5000', 'quay.io', 'registry.internal:5000', 'registry.redhat.io']);
      assert.deepEqual(doc['docker.io'].images['bitnami/kubectl'], [KUBECTL_DIGEST]);
      assert.deepEqual(doc['registry.redhat.io'].images['rhel10/postgresql-16'], ['latest']);
      assert.deepEqual(doc['quay.io'].images['kubernaut-ai/gateway'], ['1.6.0']);
      assert.deepEqual([...syncReferences(text)].sort(), nested.images.map(pullRef).sort());
      assert.deepEqual([...syncReferences(fmt(nested, 'skopeo-sync', { excludeOptional: true }))].sort(), selected(nested, true).map(pullRef).sort());
    });

    it('gives the command line and the real path mapping of skopeo sync', () => {
      const text = fmt(nested, 'skopeo-sync');
      assert.ok(text.includes('# Run: skopeo sync --src yaml --dest docker --all --preserve-digests FILE DEST'));
      assert.ok(text.includes('without --scoped: DEST/<last path component>'));
      assert.ok(text.includes('docker.io/bitnami/kubectl -> DEST/kubectl'));
      assert.ok(text.includes('with --scoped:    DEST/<registry>/<repository>'));
      assert.ok(text.includes('--format skopeo-copy'));
      assert.ok(fmt(flat, 'skopeo-sync').includes('flat layout'));
    });

    it('names DEST when sync reproduces the mirror references, with or without --scoped', () => {
      // sync.go: destination = DEST + "/" + (scoped ? source reference : path.Base(source reference)).
      const dest = (scoped: boolean, d: string, e: ImageListEntry) => `${d}/${scoped ? `${e.registry}/${e.repository}` : e.repository.split('/').pop()}`;
      const quayOnly = withMirror({ ...nested, invalid: [], images: nested.images.filter((e) => e.registry === 'quay.io') }, 'harbor.corp:5000/quay.io', 'nested');
      const scoped = fmt(quayOnly, 'skopeo-sync');
      assert.ok(scoped.includes('# Run: skopeo sync --src yaml --dest docker --all --preserve-digests --scoped FILE harbor.corp:5000\n'), scoped);
      for (const e of quayOnly.images) assert.equal(dest(true, 'harbor.corp:5000', e), mirrorRepository(e));

      const single = withMirror(
        { images: [entry('ghcr.io', 'tool', '1.2.3'), entry('registry.internal:5000', 'app', '2.0')], invalid: [], files: ['values.yaml'] },
        'harbor.corp:5000',
        'nested',
      );
      const unscoped = fmt(single, 'skopeo-sync');
      assert.ok(unscoped.includes('--preserve-digests FILE harbor.corp:5000\n'), unscoped);
      assert.ok(!unscoped.includes('--scoped FILE'));
      for (const e of single.images) assert.equal(dest(false, 'harbor.corp:5000', e), mirrorRepository(e));
    });

    it('warns when repositories share a last path component (they collide without --scoped)', () => {
      const list: ImageList = {
        images: [entry('docker.io', 'bitnami/redis', '7'), entry('quay.io', 'opstree/redis', 'v7.0.12')],
        invalid: [],
        files: ['values.yaml'],
      };
      const text = fmt(list, 'skopeo-sync');
      assert.ok(text.includes('#   redis: docker.io/bitnami/redis, quay.io/opstree/redis'));
    });

    it('keeps tags that YAML would read as numbers or booleans as strings', () => {
      const tags = ['1.0', '16', 'on', 'NO', 'y', '1e3', '0x10', '1_000', '010', 'null', 'true', '0o17', '1.10', 'Yes', '190_20_30'];
      const list: ImageList = { images: tags.map((t) => entry('quay.io', 'org/app', t)), invalid: [], files: ['values.yaml'] };
      const doc = yamlDoc(fmt(list, 'skopeo-sync'));
      assert.deepEqual(doc['quay.io'].images['org/app'], tags);
    });
  });

  describe('skopeo-copy', () => {
    it('is a POSIX sh script that passes sh -n', () => {
      for (const [name, list] of Object.entries(ALL_FIXTURES)) {
        const script = fmt(list, 'skopeo-copy');
        assert.ok(script.startsWith('#!/bin/sh\n'), name);
        assert.ok(script.split('\n').includes('set -eu'), name);
        shCheck(script);
      }
    });

    it('copies every image to its exact mirror reference, one tag or one digest on each side', () => {
      for (const list of [nested, flat, robusta]) {
        const run = runScript(fmt(list, 'skopeo-copy'));
        assert.equal(run.status, 0, run.stderr);
        const expected = list.images.filter((e) => mirrorRepository(e) !== `${e.registry}/${e.repository}`);
        assert.equal(run.calls.length, expected.length);
        run.calls.forEach((call, i) => {
          const e = expected[i];
          assert.deepEqual(call.slice(0, 3), ['copy', '--all', '--preserve-digests']);
          assert.equal(call.length, 5);
          const [src, dst] = call.slice(3).map((a) => {
            assert.ok(a.startsWith('docker://'), a);
            const r = parseReference(a.slice('docker://'.length));
            assert.ok(r.ok, a);
            assert.ok(!(r.tag && r.digest), `the docker transport takes a tag or a digest, not both: ${a}`);
            return r;
          });
          assert.equal(`${src.domain}/${src.path}${src.tag ? `:${src.tag}` : ''}${src.digest ? `@${src.digest}` : ''}`, pullRef(e));
          assert.equal(dst.name, mirrorRepository(e));
          if (e.tag) assert.equal(dst.tag, e.tag);
          else if (e.digest) assert.equal(dst.tag, e.digest.replace(':', '-'));
          else assert.equal(dst.tag, 'latest');
        });
      }
    });

    it('copies a tag+digest image from the digest to the tag, a digest-only one under sha256-<hex>', () => {
      const script = fmt(nested, 'skopeo-copy');
      assert.ok(
        script.includes(
          `skopeo copy --all --preserve-digests 'docker://docker.io/bitnami/kubectl@${KUBECTL_DIGEST}' 'docker://harbor.corp:5000/bitnami/kubectl:latest'`,
        ),
      );
      assert.match(script, /'docker:\/\/registry\.redhat\.io\/ubi9\/ubi-minimal@sha256:[0-9a-f]{64}' 'docker:\/\/harbor\.corp:5000\/ubi9\/ubi-minimal:sha256-[0-9a-f]{64}'/);
      assert.ok(fmt(flat, 'skopeo-copy').includes("'docker://quay.io/kubernaut-ai/gateway:1.6.0' 'docker://quay.io/myorg/kubernaut-ai-gateway:1.6.0'"));
      assert.ok(script.includes('# already in the mirror: harbor.corp:5000/team/app:1.0'));
    });

    it('stops with an error when no image has a mirror reference, and comments each one out', () => {
      for (const list of [unmirrored, placeholder]) {
        const script = fmt(list, 'skopeo-copy');
        const run = runScript(script);
        assert.equal(run.status, 1);
        assert.match(run.stderr, /no image has a mirror reference: set mirror\.registry/);
        assert.deepEqual(run.calls, []);
        assert.ok(script.split('\n').every((l) => !l.startsWith('skopeo ')));
      }
      assert.ok(fmt(unmirrored, 'skopeo-copy').includes('# not copied: quay.io/kubernaut-ai/gateway:1.6.0 has no mirror reference (set mirror.registry)'));
      assert.ok(fmt(placeholder, 'skopeo-copy').includes('# not copied: mirror reference <mirror-registry>/bitnami/kubectl'));
    });

    it('quotes for sh', () => {
      assert.equal(shellQuote("a'b c"), `'a'\\''b c'`);
      const r = spawnSync('sh', ['-c', `printf '%s' ${shellQuote("it's $HOME `x` \\ \"q\"")}`], { encoding: 'utf8' });
      assert.equal(r.stdout, "it's $HOME `x` \\ \"q\"");
    });
  });

  describe('hauler', () => {
    it('is content.hauler.cattle.io/v1 Images with metadata.name and spec.images[].name', () => {
      const doc = yamlDoc(fmt(nested, 'hauler'));
      assert.equal(doc.apiVersion, 'content.hauler.cattle.io/v1');
      assert.equal(doc.kind, 'Images');
      assert.deepEqual(doc.metadata, { name: 'kubernaut' });
      for (const i of doc.spec.images) assert.deepEqual(Object.keys(i), ['name']);
      assert.equal(yamlDoc(fmt(nested, 'hauler', { name: 'Kubernaut Air-Gap_Images!' })).metadata.name, 'kubernaut-air-gap-images');
      assert.equal(yamlDoc(fmt({ images: [], invalid: [], files: [] }, 'hauler')).metadata.name, 'images');
      assert.ok(fmt(robusta, 'hauler').includes('hauler store copy registry://harbor.corp:5000/robusta'));
    });
  });

  describe('zarf', () => {
    it('is a ZarfPackageConfig with a required component and the optional images in a second one', () => {
      const doc = yamlDoc(fmt(robusta, 'zarf'));
      assert.equal(doc.kind, 'ZarfPackageConfig');
      assert.equal(doc.metadata.name, 'robusta');
      assert.match(doc.metadata.name, ZARF_NAME);
      assert.equal(doc.metadata.version, undefined, 'no chart version, no metadata.version');
      assert.match(doc.metadata.description, /helm\/robusta\/values\.yaml/);
      assert.equal(doc.components.length, 2);
      const [main, optional] = doc.components;
      assert.deepEqual(main.name, 'robusta');
      assert.equal(main.required, true);
      assert.deepEqual(main.images, robusta.images.filter((e) => e.optional == null).map((e) => e.source));
      assert.equal(optional.name, 'robusta-optional');
      assert.equal(optional.required, false);
      assert.deepEqual(optional.images, robusta.images.filter((e) => e.optional != null).map((e) => e.source));
      assert.equal(
        optional.description,
        'Images deployed only if grafanaRenderer.enabled is true; only if holmes.mcpAddons.gitlabMcp.enabled is true; only if holmes.mcpAddons.github.enabled is true; only if holmes.mcpAddons.mariadb.enabled is true',
      );
      for (const c of doc.components) assert.match(c.name, ZARF_NAME);

      const kubernaut = yamlDoc(fmt(nested, 'zarf', { excludeOptional: true }));
      assert.equal(kubernaut.metadata.version, '1.6.0');
      assert.match(kubernaut.metadata.version, /^[^/\\]*$/);
      assert.equal(kubernaut.components.length, 1);
    });

    it('keeps names in Zarf’s pattern and an empty package well-formed', () => {
      const doc = yamlDoc(fmt({ ...robusta, chart: { name: '-My_Chart.v2-' } }, 'zarf'));
      assert.equal(doc.metadata.name, 'my-chart-v2');
      assert.equal(doc.components[1].name, 'my-chart-v2-optional');
      const long = yamlDoc(fmt(robusta, 'zarf', { name: 'x'.repeat(100) }));
      assert.ok(long.components[1].name.length <= 63 && long.components[1].name.endsWith('-optional'));
      const empty = yamlDoc(fmt({ images: [], invalid: [], files: [] }, 'zarf'));
      assert.deepEqual(empty.components, [{ name: 'images', description: 'Images that are always deployed', required: true, images: [] }]);
    });
  });

  describe('imageslock', () => {
    it('is dt’s ImagesLock v0 with string metadata, the chart and one entry per image, digests left empty', () => {
      const doc = yamlDoc(fmt(nested, 'imageslock'));
      assert.equal(doc.apiVersion, 'v0');
      assert.equal(doc.kind, 'ImagesLock');
      assert.deepEqual(doc.metadata, { generatedAt: '2026-05-01T12:00:00Z', generatedBy: 'airgap-lint' });
      assert.deepEqual(doc.chart, { name: 'kubernaut', version: '1.6.0' });
      assert.equal(doc.images.length, nested.images.length);
      doc.images.forEach((img: any, i: number) => {
        assert.deepEqual(Object.keys(img), ['name', 'image', 'chart', 'digests']);
        assert.equal(img.name, nested.images[i].repository.split('/').pop());
        assert.equal(img.image, nested.images[i].source);
        assert.equal(img.chart, 'kubernaut');
        assert.deepEqual(img.digests, []);
      });
      assert.equal(yamlDoc(fmt(robusta, 'imageslock')).chart.version, '');
    });

    it('writes generatedAt as Go does, from options.now', () => {
      assert.equal(goTimestamp(new Date('2026-05-01T12:00:00.120Z')), '2026-05-01T12:00:00.12Z');
      assert.equal(goTimestamp(new Date('2026-05-01T12:00:00.000Z')), '2026-05-01T12:00:00Z');
      assert.equal(goTimestamp(new Date(Number.NaN)), '1970-01-01T00:00:00Z');
      const doc = yamlDoc(formatImageList(nested, 'imageslock', { now: new Date('2030-01-02T03:04:05.006Z') }));
      assert.equal(doc.metadata.generatedAt, '2030-01-02T03:04:05.006Z');
      assert.match(yamlDoc(formatImageList(nested, 'imageslock')).metadata.generatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    });
  });

  describe('idms', () => {
    function mirrorSets(list: ImageList, options: ImageListFormatOptions = {}) {
      const docs = yamlDocs(fmt(list, 'idms', options));
      assert.equal(docs.length, 2);
      const [idms, itms] = docs;
      assert.equal(idms.apiVersion, 'config.openshift.io/v1');
      assert.equal(idms.kind, 'ImageDigestMirrorSet');
      assert.equal(itms.apiVersion, 'config.openshift.io/v1');
      assert.equal(itms.kind, 'ImageTagMirrorSet');
      for (const d of docs) {
        assert.deepEqual(Object.keys(d.metadata), ['name'], 'cluster-scoped: no namespace');
        assert.match(d.metadata.name, DNS_LABEL);
      }
      assert.deepEqual(Object.keys(idms.spec), ['imageDigestMirrors']);
      assert.deepEqual(Object.keys(itms.spec), ['imageTagMirrors']);
      assert.deepEqual(idms.spec.imageDigestMirrors, itms.spec.imageTagMirrors);
      for (const m of idms.spec.imageDigestMirrors) {
        assert.deepEqual(Object.keys(m), ['source', 'mirrors']);
        assert.match(m.source, IDMS_SOURCE);
        const r = parseReference(m.source);
        assert.ok(r.ok && !r.tag && !r.digest, m.source);
        assert.equal(new Set(m.mirrors).size, m.mirrors.length, 'mirrors is a set');
        for (const mirror of m.mirrors) assert.match(mirror, IDMS_MIRROR);
      }
      return idms.spec.imageDigestMirrors as { source: string; mirrors: string[] }[];
    }

    function expectedPairs(list: ImageList, excludeOptional = false) {
      const pairs = new Map<string, string[]>();
      for (const e of selected(list, excludeOptional)) {
        const repo = mirrorRepository(e);
        const source = `${e.registry}/${e.repository}`;
        if (!repo || repo === source) continue;
        const mirrors = pairs.get(source) ?? [];
        if (!mirrors.includes(repo)) mirrors.push(repo);
        pairs.set(source, mirrors);
      }
      return [...pairs].map(([source, mirrors]) => ({ source, mirrors }));
    }

    it('maps every source repository to its mirror repository (nested, flat, prefix)', () => {
      for (const list of [nested, flat, robusta]) assert.deepEqual(mirrorSets(list), expectedPairs(list));
      const n = mirrorSets(nested);
      assert.deepEqual(
        n.find((p) => p.source === 'registry.internal:5000/platform/log-shipper'),
        { source: 'registry.internal:5000/platform/log-shipper', mirrors: ['harbor.corp:5000/platform/log-shipper'] },
      );
      assert.ok(!n.some((p) => p.source === 'harbor.corp:5000/team/app'), 'an image already in the mirror is not redirected');
      assert.deepEqual(
        mirrorSets(flat).find((p) => p.source === 'quay.io/kubernaut-ai/gateway'),
        { source: 'quay.io/kubernaut-ai/gateway', mirrors: ['quay.io/myorg/kubernaut-ai-gateway'] },
      );
      assert.deepEqual(mirrorSets(nested, { excludeOptional: true }), expectedPairs(nested, true));
    });

    it('groups images of one repository into one entry', () => {
      const list = withMirror(
        { images: [entry('quay.io', 'org/app', '1'), entry('quay.io', 'org/app', '2'), entry('quay.io', 'org/app', null, KUBECTL_DIGEST)], invalid: [], files: ['v.yaml'] },
        'harbor.corp:5000',
        'nested',
      );
      assert.deepEqual(mirrorSets(list), [{ source: 'quay.io/org/app', mirrors: ['harbor.corp:5000/org/app'] }]);
    });

    it('says that mirror.registry is needed when there is none, and writes no mirror set', () => {
      const text = fmt(unmirrored, 'idms');
      assert.deepEqual(yamlDocs(text), []);
      assert.ok(text.includes('No mirror.registry is configured: set mirror.registry'));
      const bad = fmt(placeholder, 'idms');
      assert.deepEqual(yamlDocs(bad), []);
      assert.ok(bad.includes('mirror reference <mirror-registry>/bitnami/kubectl'));
      assert.ok(bad.includes('does not parse'));
    });
  });

  describe('bad input', () => {
    const hostile: ImageList = {
      ...nested,
      files: ['values.yaml\nkind: Evil', 'we"ird\\path\u2028.yaml'],
      images: nested.images.map((e) =>
        e.optional ? { ...e, optional: 'only if x\n    - name: evil.example/pwn:1\r\n# y', enabledBy: { path: 'a\nb.yaml', line: 3 } } : e,
      ),
      invalid: [{ value: 'evil\n- name: evil.example/pwn:2', path: 'v.yaml\r\napiVersion: x', line: 7, key: 'k', reason: 'bad\u0085reason\u2029kind: Evil' }],
    };

    it('keeps line breaks in values, files and conditions inside their comments', () => {
      for (const format of LIST_FORMATS) {
        const text = fmt(hostile, format);
        if (format === 'json') {
          assert.equal(JSON.parse(text).invalid[0].value, 'evil\n- name: evil.example/pwn:2');
          continue;
        }
        if (format === 'skopeo-copy') {
          shCheck(text);
          assert.equal(runScript(text).calls.length, 18);
        } else if (format === 'list') {
          assert.deepEqual(referencesIn('list', text), nested.images.map((e) => e.source));
        } else {
          const docs = yamlDocs(text);
          if (format === 'zarf') {
            // Descriptions quote the files and conditions: one line each, inside the string.
            assert.equal(docs[0].kind, 'ZarfPackageConfig');
            for (const d of [docs[0].metadata.description, ...docs[0].components.map((c: any) => c.description)]) assert.ok(!/[\n\r\u0085\u2028\u2029]/.test(d), d);
            docs[0].metadata.description = '';
            for (const c of docs[0].components) c.description = '';
          }
          const data = JSON.stringify(docs);
          assert.ok(!data.includes('evil') && !data.includes('Evil'), `${format}: ${data.slice(0, 200)}`);
        }
        if (REF_FORMATS.includes(format)) assert.deepEqual([...referencesIn(format, text)].sort(), nested.images.map((e) => e.source).sort(), format);
        for (const line of text.split('\n')) {
          if (format === 'zarf' && /^\s*description: "[^"\\]*(?:\\.[^"\\]*)*"$/.test(line)) continue; // quoted, one line
          if (/evil|Evil/.test(line)) assert.ok(line.trimStart().startsWith('#'), `${format}: ${line}`);
        }
      }
    });

    it('never writes an entry whose source is not a reference: it is listed as invalid (no guessing)', () => {
      const repository = `${'a'.repeat(60)}A`;
      const broken = entry('quay.io', repository, '1', null, { mirror: 'harbor.corp:5000/x:1', sources: [{ path: 'values.yaml', line: 9 }] });
      const list: ImageList = { images: [broken, ...nested.images.slice(0, 2)], invalid: [], files: ['values.yaml'], mirror: nested.mirror };
      const started = Date.now();
      for (const format of LIST_FORMATS) {
        const text = fmt(list, format);
        if (format === 'json') {
          const out = JSON.parse(text);
          assert.equal(out.images.length, 2);
          assert.equal(out.invalid[0].value, broken.source);
          assert.deepEqual([out.invalid[0].path, out.invalid[0].line], ['values.yaml', 9]);
          continue;
        }
        assert.ok(text.includes(`# invalid: quay.io/${repository}:1 (values.yaml:9): not an image reference`), format);
        for (const line of text.split('\n')) if (line.includes(repository)) assert.ok(line.trimStart().startsWith('#'), `${format}: ${line}`);
      }
      assert.ok(Date.now() - started < 2000, 'no runaway regular expression');
    });

    it('leaves out of the mirror sets what the OpenShift API would reject (an IPv6 registry)', () => {
      const list = { ...nested, images: [entry('[fd00::1]:5000', 'team/app', '1', null, { mirror: 'harbor.corp:5000/team/app:1' }), ...nested.images] };
      const text = fmt(list, 'idms');
      assert.ok(text.includes('#   [fd00::1]:5000/team/app:1: [fd00::1]:5000/team/app -> harbor.corp:5000/team/app is not a source/mirror the API accepts'));
      assert.deepEqual(yamlDocs(text)[0].spec.imageDigestMirrors.length, expectedCount(nested));
      function expectedCount(l: ImageList) {
        return new Set(l.images.filter((e) => e.mirror && !e.source.startsWith('harbor.corp:5000/')).map((e) => `${e.registry}/${e.repository}`)).size;
      }
    });

    it('writes every format for an empty list', () => {
      const empty: ImageList = { images: [], invalid: [], files: [] };
      for (const format of LIST_FORMATS) {
        const text = fmt(empty, format);
        assert.ok(text.length > 0);
        if (format === 'json') assert.deepEqual(JSON.parse(text), { version: 1, images: [], invalid: [] });
        else if (format === 'skopeo-copy') {
          const run = runScript(text);
          assert.equal(run.status, 1);
          assert.match(run.stderr, /no images to copy/);
        } else if (format !== 'list') yamlDocs(text);
      }
      assert.deepEqual(yamlDoc(fmt(empty, 'skopeo-sync')), {});
      assert.deepEqual(yamlDoc(fmt(empty, 'oc-mirror')).mirror.additionalImages, []);
      assert.deepEqual(yamlDoc(fmt(empty, 'hauler')).spec.images, []);
      assert.deepEqual(yamlDoc(fmt(empty, 'imageslock')).images, []);
    });

    it('lists a placeholder-mirror stack: its invalid values as comments, its images without mirror', () => {
      for (const format of LIST_FORMATS) {
        const text = fmt(placeholder, format);
        if (format === 'json') {
          assert.equal(JSON.parse(text).invalid.length, 3);
          continue;
        }
        for (const i of placeholder.invalid) assert.ok(text.includes(`# invalid: ${i.value} (${i.path}:${i.line}): ${i.reason}`), format);
      }
      assert.deepEqual(referencesIn('oc-mirror', fmt(placeholder, 'oc-mirror')), placeholder.images.map((e) => e.source));
    });

    it('writes 5,000 images in every format quickly, all of them readable', function () {
      this.timeout(60000); // reading 5,000-entry YAML back takes a few seconds; writing it is what is timed
      const registries = ['quay.io', 'harbor.corp:5000', 'docker.io', 'us-central1-docker.pkg.dev', 'registry.internal:5000'];
      const images: ImageListEntry[] = [];
      for (let i = 0; i < 5000; i++) {
        const registry = registries[i % registries.length];
        const repository = `team-${i % 37}/app-${i}`;
        const digest = i % 7 === 0 ? `sha256:${(i.toString(16).padStart(8, '0')).repeat(8)}` : null;
        const tag = i % 11 === 0 && digest ? null : `1.${i}.0`;
        images.push(entry(registry, repository, tag, digest, i % 5 === 0 ? { optional: `only if feature${i}.enabled is true`, enabledBy: { path: 'values.yaml', line: i } } : {}));
      }
      images.sort((a, b) => (a.source < b.source ? -1 : 1));
      const big = withMirror({ images, invalid: [], files: ['values.yaml'], chart: { name: 'big', version: '1.0.0' } }, 'mirror.corp:5000/big', 'flat');
      const started = Date.now();
      const outputs = LIST_FORMATS.map((format) => [format, fmt(big, format)] as const);
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 5000, `all formats took ${elapsed} ms`);
      for (const [format, text] of outputs) {
        if (REF_FORMATS.includes(format)) assert.equal(referencesIn(format, text, false).length, 5000, format);
      }
      const byFormat = Object.fromEntries(outputs);
      assert.equal(syncReferences(byFormat['skopeo-sync'], false).length, 5000);
      assert.equal(mirrorSets(big).length, 5000);
      shCheck(byFormat['skopeo-copy']);
      assert.equal(byFormat['skopeo-copy'].split('\n').filter((l) => l.startsWith('skopeo copy ')).length, 5000);

      function mirrorSets(list: ImageList) {
        const docs = yamlDocs(fmt(list, 'idms'), false);
        return docs[0].spec.imageDigestMirrors as unknown[];
      }
    });
  });
});
