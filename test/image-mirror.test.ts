// Mirror rewrites for real images from the corpus (kubernaut at a0781038 and HEAD, the CloudZero
// agent's kube-state-metrics), in both layouts, with and without a registry path prefix.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { parseValuesDocument } from '../server/src/engine/document';
import { type MirrorOptions, mirrorImage, mirrorReference, parseMirrorRegistry } from '../server/src/engine/images/mirror';
import { parseNormalizedNamed } from '../server/src/engine/images/normalize';
import { CORPUS } from './helpers';

function valuesOf(relative: string): Record<string, any> {
  const path = nodePath.join(CORPUS, relative);
  return parseValuesDocument(path, fs.readFileSync(path, 'utf8')).values as Record<string, any>;
}

const kubernautOld = valuesOf('jordigilh__kubernaut__a0781038/charts/kubernaut/values.yaml');
const kubernautSchema = JSON.parse(fs.readFileSync(nodePath.join(CORPUS, 'jordigilh__kubernaut/charts/kubernaut/values.schema.json'), 'utf8'));
const cloudzero = valuesOf('Cloudzero__cloudzero-agent/helm/values.yaml');

const KUBECTL_DIGEST = 'sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564';
const kubectl: string = kubernautOld.hooks.tlsCerts.image;
const postgres: string = kubernautOld.postgresql.image;
const oauth2Proxy: string = kubernautSchema.properties.console.properties.oauth2Proxy.properties.image.default;
// The chart template joins registry/repository:tag; the split object is in the values file.
const ksmImage = cloudzero.kubeStateMetrics.image;
const kubeStateMetrics = `${ksmImage.registry}/${ksmImage.repository}:${ksmImage.tag}`;

const nested: MirrorOptions = { registry: 'harbor.corp:5000', layout: 'nested' };
const nestedProject: MirrorOptions = { registry: 'harbor.corp:5000/project', layout: 'nested' };
const flat: MirrorOptions = { registry: 'harbor.corp:5000', layout: 'flat' };
const flatQuay: MirrorOptions = { registry: 'quay.io/myorg', layout: 'flat' };

function mirrored(image: string, options: MirrorOptions) {
  const r = mirrorImage(image, options);
  assert.ok(r.ok, r.ok ? '' : `${r.error}: ${r.message}`);
  return r;
}

describe('image mirror rewrite', () => {
  it('reads the real images from the corpus', () => {
    assert.equal(kubectl, `docker.io/bitnami/kubectl:latest@${KUBECTL_DIGEST}`);
    assert.equal(postgres, 'postgres:16-alpine');
    assert.equal(oauth2Proxy, 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.3');
    assert.equal(kubeStateMetrics, 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.17.0');
  });

  describe('nested layout keeps the upstream path, without the source host', () => {
    const cases: Array<[string, string, string]> = [
      [oauth2Proxy, 'harbor.corp:5000/oauth2-proxy/oauth2-proxy:v7.15.3', 'harbor.corp:5000/project/oauth2-proxy/oauth2-proxy:v7.15.3'],
      [kubectl, `harbor.corp:5000/bitnami/kubectl:latest@${KUBECTL_DIGEST}`, `harbor.corp:5000/project/bitnami/kubectl:latest@${KUBECTL_DIGEST}`],
      [
        kubeStateMetrics,
        'harbor.corp:5000/kube-state-metrics/kube-state-metrics:v2.17.0',
        'harbor.corp:5000/project/kube-state-metrics/kube-state-metrics:v2.17.0',
      ],
      // Docker Hub official images keep library/, as Harbor's Docker Hub proxy cache needs.
      [postgres, 'harbor.corp:5000/library/postgres:16-alpine', 'harbor.corp:5000/project/library/postgres:16-alpine'],
    ];
    for (const [image, plain, withPrefix] of cases) {
      it(image, () => {
        assert.equal(mirrored(image, nested).reference, plain);
        assert.equal(mirrored(image, nestedProject).reference, withPrefix);
      });
    }

    it('splits the result into the registry and repository fields a chart has', () => {
      const r = mirrored(kubeStateMetrics, nestedProject);
      assert.equal(r.registry, 'harbor.corp:5000/project');
      assert.equal(r.repository, 'kube-state-metrics/kube-state-metrics');
      assert.equal(r.domain, 'harbor.corp:5000');
      assert.equal(r.path, 'project/kube-state-metrics/kube-state-metrics');
      assert.equal(r.tag, 'v2.17.0');
      assert.equal(r.digest, undefined);
      assert.equal(r.alreadyMirrored, false);
    });
  });

  describe('flat layout joins the path components with "-"', () => {
    const cases: Array<[string, string, string]> = [
      [oauth2Proxy, 'harbor.corp:5000/oauth2-proxy-oauth2-proxy:v7.15.3', 'quay.io/myorg/oauth2-proxy-oauth2-proxy:v7.15.3'],
      [kubectl, `harbor.corp:5000/bitnami-kubectl:latest@${KUBECTL_DIGEST}`, `quay.io/myorg/bitnami-kubectl:latest@${KUBECTL_DIGEST}`],
      [
        kubeStateMetrics,
        'harbor.corp:5000/kube-state-metrics-kube-state-metrics:v2.17.0',
        'quay.io/myorg/kube-state-metrics-kube-state-metrics:v2.17.0',
      ],
      [postgres, 'harbor.corp:5000/library-postgres:16-alpine', 'quay.io/myorg/library-postgres:16-alpine'],
    ];
    for (const [image, plain, withPrefix] of cases) {
      it(image, () => {
        assert.equal(mirrored(image, flat).reference, plain);
        const r = mirrored(image, flatQuay);
        assert.equal(r.reference, withPrefix);
        assert.equal(r.registry, 'quay.io/myorg');
        assert.ok(!r.repository.includes('/'), r.repository);
      });
    }
  });

  it('keeps tag and digest as written (both, when both are there)', () => {
    const r = mirrored(kubectl, nested);
    assert.equal(r.tag, 'latest');
    assert.equal(r.digest, KUBECTL_DIGEST);
    const digestOnly = mirrored(`registry.k8s.io/ingress-nginx/controller@${KUBECTL_DIGEST}`, nested);
    assert.equal(digestOnly.reference, `harbor.corp:5000/ingress-nginx/controller@${KUBECTL_DIGEST}`);
    const untagged = mirrored('registry.redhat.io/rhel10/postgresql-16', nested);
    assert.equal(untagged.reference, 'harbor.corp:5000/rhel10/postgresql-16', 'no tag is invented: implicit latest is a rule finding, not a rewrite');
  });

  it('is idempotent: a mirrored reference maps to itself', () => {
    for (const options of [nested, nestedProject, flat, flatQuay]) {
      for (const image of [oauth2Proxy, kubectl, kubeStateMetrics, postgres]) {
        const once = mirrored(image, options);
        const twice = mirrored(once.reference, options);
        assert.equal(twice.reference, once.reference, `${image} with ${options.registry} ${options.layout}`);
        assert.equal(twice.alreadyMirrored, true);
        assert.equal(twice.registry, once.registry);
        assert.equal(twice.repository, once.repository);
      }
    }
    // Host names compare case-insensitively.
    assert.equal(mirrored('Harbor.Corp:5000/library/postgres:16-alpine', nested).alreadyMirrored, true);
    // Same host, outside the configured project: not mirrored yet.
    const outside = mirrored('harbor.corp:5000/other/app:1', nestedProject);
    assert.equal(outside.alreadyMirrored, false);
    assert.equal(outside.reference, 'harbor.corp:5000/project/other/app:1');
  });

  it('accepts a normalised reference directly', () => {
    const ref = parseNormalizedNamed('valkey/valkey:8-alpine');
    assert.ok(ref.ok);
    const r = mirrorReference(ref, nested);
    assert.ok(r.ok);
    assert.equal(r.reference, 'harbor.corp:5000/valkey/valkey:8-alpine');
  });

  describe('bad input gives a clear error, never a throw', () => {
    it('a repository over 255 characters', () => {
      const path255 = `org/${'a'.repeat(251)}`;
      assert.equal(path255.length, 255);
      // Fits upstream, but not once the project prefix is added on the mirror.
      assert.ok(mirrorImage(`quay.io/${path255}:v1`, nested).ok);
      const grown = mirrorImage(`quay.io/${path255}:v1`, nestedProject);
      assert.ok(!grown.ok && grown.error === 'ErrNameTooLong', JSON.stringify(grown));
      assert.ok(!grown.ok && grown.message.includes('repository name must not be more than 255 characters'));
      assert.ok(!grown.ok && grown.message.length < 200, 'the long reference is shortened in the message');
      const tooLong = mirrorImage(`quay.io/${path255}b:v1`, nested);
      assert.ok(!tooLong.ok && tooLong.error === 'ErrNameTooLong');
    });

    it('an uppercase path', () => {
      const r = mirrorImage('quay.io/Kubernaut-AI/gateway:v1.6.0', nested);
      assert.ok(!r.ok && r.error === 'ErrNameContainsUppercase');
      assert.ok(!r.ok && r.message.includes('Kubernaut-AI/gateway'));
    });

    it('a placeholder in the image', () => {
      const r = mirrorImage('<mirror-registry>/rhel10/postgresql-16', nested);
      assert.ok(!r.ok && r.error === 'ErrReferenceInvalidFormat');
    });

    it('mirror registries a runtime would not read as a host', () => {
      const cases: Array<[string, string]> = [
        ['registry/team', 'ErrMirrorRegistryNotAHost'],
        ['harbor', 'ErrMirrorRegistryNotAHost'],
        ['https://harbor.corp', 'ErrMirrorRegistryInvalid'],
        ['<mirror-registry>', 'ErrMirrorRegistryInvalid'],
        ['harbor.corp/Project', 'ErrMirrorRegistryInvalid'],
        ['', 'ErrMirrorRegistryInvalid'],
      ];
      for (const [registry, error] of cases) {
        const r = mirrorImage(postgres, { registry, layout: 'nested' });
        assert.ok(!r.ok, registry);
        assert.equal(!r.ok && r.error, error, registry);
      }
      const hint = parseMirrorRegistry('harbor.corp/Project');
      assert.ok('ok' in hint && hint.message.includes('lowercase'));
      const notHost = parseMirrorRegistry('registry/team');
      assert.ok('ok' in notHost && notHost.message.includes('docker.io/registry/team'));
    });

    it('accepts localhost, ports, IPv6 and a trailing slash in the mirror registry', () => {
      assert.deepEqual(parseMirrorRegistry('localhost/team/'), { host: 'localhost', prefix: 'team', registry: 'localhost/team' });
      assert.equal(mirrored(postgres, { registry: '[fd00::1]:5000', layout: 'nested' }).reference, '[fd00::1]:5000/library/postgres:16-alpine');
      assert.equal(mirrored(postgres, { registry: '10.0.0.5:5000/', layout: 'flat' }).reference, '10.0.0.5:5000/library-postgres:16-alpine');
    });

    it('a flat Docker Hub mirror without an organisation', () => {
      const r = mirrorImage(oauth2Proxy, { registry: 'docker.io', layout: 'flat' });
      assert.ok(!r.ok && r.error === 'ErrMirrorRegistryInvalid');
      assert.ok(!r.ok && r.message.includes('docker.io/library/oauth2-proxy-oauth2-proxy'));
      assert.equal(mirrored(oauth2Proxy, { registry: 'docker.io/myorg', layout: 'flat' }).reference, 'docker.io/myorg/oauth2-proxy-oauth2-proxy:v7.15.3');
    });
  });
});
