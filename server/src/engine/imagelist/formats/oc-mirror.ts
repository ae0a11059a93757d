// `oc-mirror` and `oc-mirror-v1`: an OpenShift oc-mirror ImageSetConfiguration that lists every
// image under `mirror.additionalImages: [{name: REF}]`.
//
// - v2 (`oc mirror --v2`): `apiVersion: mirror.openshift.io/v2alpha1`, no storageConfig (the
//   workspace is a command-line flag). Shape from openshift/oc-mirror
//   internal/pkg/api/v2alpha1/type_config.go (AdditionalImage.Name: "should be an exact image pin
//   … but is not required to be") and its e2e template internal/e2e/templates/isc_templates/
//   additional_isc.yaml. Commands from the oc-mirror README (m2m: `-c FILE --workspace file://DIR
//   docker://DEST --v2`; m2d: `-c FILE file://DIR --v2`; d2m: `-c FILE --from file://DIR docker://DEST --v2`).
// - v1: `apiVersion: mirror.openshift.io/v1alpha2` with `storageConfig.local.path`, as Kubernaut's
//   disconnected-install guide writes it (docs/vendor/kubernaut-disconnected-install.txt).
//
// oc-mirror pushes an additional image to `DEST/<its repository path>` (v2:
// internal/pkg/additional/local_stored_collector.go, targetRepo = the source path): the nested
// layout. It pulls an image written with a tag and a digest by the digest and pushes it under the
// tag (OCPBUGS-33196), and pushes a digest-only image under the tag `sha256-<hex>`. When every
// mirror reference is `DEST/<source path>` for one DEST, the header gives the command with it;
// otherwise (flat layout) the images would not land where the chart overlay points, and it says
// so. Newer oc-mirror has `targetRepo`/`targetTag` per image (CLID-198, 2026) that could place
// them; they are not written, as older oc-mirror releases do not know them.

import type { ImageList, ImageListFormatOptions } from '../types';
import { commentText, commonDestination, headerLines, invalidComments, lines, mirrorOf, optionalNote, selectImages, yamlScalar } from './common';

function placement(list: ImageList, images: ImageList['images']): string[] {
  const mirrored = images.some((e) => mirrorOf(e)?.ok);
  if (!mirrored) {
    return list.mirror?.registry
      ? ['No image has a mirror reference: oc-mirror pushes each one to DEST/<its repository path>.']
      : ['No mirror.registry is configured: oc-mirror pushes each image to DEST/<its repository path> (the nested layout).'];
  }
  const dest = commonDestination(images, (e) => e.repository);
  if (dest) return [`oc-mirror pushes each image to DEST/<its repository path>; with DEST = ${dest} every image lands at its mirror reference.`];
  return [
    'oc-mirror pushes each image to DEST/<its repository path> (the nested layout). The mirror references of these',
    'values do not all have that form (flat layout?): copy with `--format skopeo-copy` instead, or the chart overlay',
    'will point at repositories oc-mirror did not create.',
  ];
}

function additionalImages(list: ImageList, images: ImageList['images']): string[] {
  if (images.length === 0) return ['  additionalImages: []'];
  const out = ['  additionalImages:'];
  for (const entry of images) {
    const note = optionalNote(entry);
    if (note) out.push(`    # ${note}`);
    out.push(`    - name: ${yamlScalar(entry.source)}`);
  }
  return out;
}

export function formatOcMirror(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const dest = commonDestination(selection.images, (e) => e.repository) ?? 'DEST';
  const header = headerLines(list, 'oc-mirror v2 ImageSetConfiguration (mirror.openshift.io/v2alpha1).', selection, [
    'Run (OpenShift oc CLI with the oc-mirror plugin):',
    `  registry to registry: oc mirror -c FILE --workspace file://oc-mirror-workspace docker://${dest} --v2`,
    `  through a disk:       oc mirror -c FILE file://mirror-archive --v2`,
    `                        oc mirror -c FILE --from file://mirror-archive docker://${dest} --v2`,
    ...placement(list, selection.images),
    'A tag+digest image is pulled by digest and pushed under its tag; a digest-only one under the tag sha256-<hex>.',
  ]);
  const body = ['kind: ImageSetConfiguration', 'apiVersion: mirror.openshift.io/v2alpha1', 'mirror:', ...additionalImages(list, selection.images)];
  return lines(header, body, invalidComments(selection));
}

export function formatOcMirrorV1(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const storagePath = options.storagePath?.trim() || './mirror-storage';
  const dest = commonDestination(selection.images, (e) => e.repository) ?? 'DEST';
  const header = headerLines(list, 'oc-mirror v1 ImageSetConfiguration (mirror.openshift.io/v1alpha2).', selection, [
    `Run: oc mirror --config=FILE docker://${dest}`,
    `storageConfig.local.path (${commentText(storagePath)}) keeps oc-mirror's metadata between runs.`,
    ...placement(list, selection.images),
  ]);
  const body = [
    'kind: ImageSetConfiguration',
    'apiVersion: mirror.openshift.io/v1alpha2',
    'storageConfig:',
    '  local:',
    `    path: ${yamlScalar(storagePath)}`,
    'mirror:',
    ...additionalImages(list, selection.images),
  ];
  return lines(header, body, invalidComments(selection));
}
