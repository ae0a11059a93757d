// `zarf`: a `zarf.yaml` package definition, `kind: ZarfPackageConfig`, with the images in
// components (zarf-dev/zarf src/api/v1alpha1/package.go and component.go; examples/*/zarf.yaml
// omit `apiVersion`, which is optional there, and so do we).
// - metadata.name and component names must match `^[a-z0-9][a-z0-9\-]*$`, metadata.version
//   `^[^/\\]*$` (jsonschema tags of ZarfMetadata / ZarfComponent); names are sanitised to fit.
// - One component `<name>` with `required: true` and every image that is always deployed; the
//   optional images in a second component `<name>-optional` with `required: false` (the deployer
//   is asked; `default` stays false) whose description lists the conditions, and each image keeps
//   its `# only if …` comment, as `zarf dev find-images` writes comments in `images`
//   (src/cmd/dev.go "# Possible images").
// - Zarf pushes the images into its own registry and its agent rewrites pod images, so the
//   mirror references are not used; `zarf package mirror-resources --registry-url MIRROR
//   --no-img-checksum` pushes to MIRROR/<repository path>[:tag|@digest] instead
//   (src/pkg/transform/image.go ImageTransformHostWithoutChecksum), the nested layout.

import type { ImageList, ImageListEntry, ImageListFormatOptions } from '../types';
import { baseName, commentText, dnsLabel, headerLines, invalidComments, lines, optionalNote, selectImages, yamlScalar } from './common';

const MAX_CONDITIONS = 10;

function imageLines(images: ImageListEntry[]): string[] {
  if (images.length === 0) return ['    images: []'];
  const out = ['    images:'];
  for (const entry of images) {
    const note = optionalNote(entry);
    if (note) out.push(`      # ${note}`);
    out.push(`      - ${yamlScalar(entry.source)}`);
  }
  return out;
}

export function formatZarf(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const name = dnsLabel(baseName(list, options));
  const required = selection.images.filter((e) => e.optional == null);
  const optional = selection.images.filter((e) => e.optional != null);
  const files = (list.files ?? []).map((f) => commentText(f, 200)).join(', ');
  const chart = list.chart?.name ? `${commentText(list.chart.name, 100)} ` : '';
  const header = headerLines(list, 'Zarf package definition (zarf.yaml, kind ZarfPackageConfig).', selection, [
    'Run: zarf package create . && zarf package deploy zarf-package-*.tar.zst',
    'Zarf pushes the images to its own registry and rewrites pod images; to fill an existing mirror instead:',
    'zarf package mirror-resources PACKAGE --registry-url MIRROR --no-img-checksum (MIRROR/<repository path>, nested layout).',
  ]);
  const body = ['kind: ZarfPackageConfig', 'metadata:', `  name: ${yamlScalar(name)}`];
  const version = list.chart?.version ? commentText(list.chart.version, 100).replace(/[/\\]/g, '-') : '';
  if (version) body.push(`  version: ${yamlScalar(version)}`);
  body.push(`  description: ${yamlScalar(`Images of ${chart}for an air-gapped install, from ${files || 'the values files'} (airgap-lint)`)}`);
  body.push('components:', `  - name: ${yamlScalar(name)}`, `    description: ${yamlScalar('Images that are always deployed')}`, '    required: true');
  body.push(...imageLines(required));
  if (optional.length) {
    const conditions = [...new Set(optional.map((e) => optionalNote(e) ?? ''))];
    let description = `Images deployed ${conditions.slice(0, MAX_CONDITIONS).join('; ')}`;
    if (conditions.length > MAX_CONDITIONS) description += `; and ${conditions.length - MAX_CONDITIONS} more conditions`;
    const optionalName = `${name.slice(0, 63 - '-optional'.length).replace(/-+$/, '')}-optional`;
    body.push(`  - name: ${yamlScalar(optionalName)}`, `    description: ${yamlScalar(description)}`, '    required: false');
    body.push(...imageLines(optional));
  }
  return lines(header, body, invalidComments(selection));
}
