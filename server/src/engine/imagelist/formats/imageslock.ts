// `imageslock`: the Images.lock of VMware's Distribution Tooling for Helm (`dt`), as
// vmware-labs/distribution-tooling-for-helm pkg/imagelock/lock.go and image.go define it:
//   apiVersion: v0, kind: ImagesLock, metadata: {generatedAt, generatedBy} (map[string]string),
//   chart: {name, version[, appVersion]}, images: [{name, image, chart, digests: [{digest, arch}]}].
// generatedAt is written as dt writes it: UTC, Go's "2006-01-02T15:04:05.999999999Z" (trailing
// zero fractions dropped), quoted; it comes from options.now so that output can be reproduced.
//
// `digests` is always `[]`. dt's digests are one per platform, each with `arch: os/arch`, read
// from the registry (pkg/imagelock/digest.go readDigestsInfoFromIndex), and `dt images push`
// rebuilds a manifest list from exactly those (pkg/chartutils/images.go buildImageIndex). A digest
// pinned in the values names a manifest list or a single image whose platform cannot be known
// without the registry, so writing it with a guessed arch would make dt pull or push the wrong
// thing. The pin is kept where dt resolves it: in `image` (`repo:tag@sha256:…`; dt parses it
// with go-containerregistry, which accepts tag and digest together).
// `name` is the repository's last path component, as Bitnami's `images` annotations name them;
// `chart` is the top chart (the list does not say which subchart an image belongs to).

import type { ImageList, ImageListFormatOptions } from '../types';
import { baseName, commentText, headerLines, invalidComments, lastComponent, lines, optionalNote, selectImages, yamlScalar } from './common';

/** Go's `time.Format("2006-01-02T15:04:05.999999999Z")` of a UTC time. */
export function goTimestamp(date: Date): string {
  const iso = Number.isFinite(date.getTime()) ? date.toISOString() : new Date(0).toISOString();
  return iso.replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}

export function formatImagesLock(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const chartName = commentText(list.chart?.name?.trim() || baseName(list, options), 200);
  const chartVersion = commentText(list.chart?.version ?? '', 100);
  const pinned = selection.images.filter((e) => e.digest).length;
  const header = headerLines(list, "Images.lock of Distribution Tooling for Helm (dt), apiVersion v0.", selection, [
    'digests: [] everywhere: dt lists one digest per platform (arch os/arch) read from the registry, which',
    `is not known offline; ${pinned ? `the ${pinned === 1 ? 'digest' : `${pinned} digests`} pinned in the values stay in image (repo:tag@sha256:…)` : 'no image is pinned by digest'}.`,
    'dt pulls only the listed digests, and dt wrap / dt images verify compare them with the registry: fill them in first.',
  ]);
  const body = [
    'apiVersion: v0',
    'kind: ImagesLock',
    'metadata:',
    `  generatedAt: ${JSON.stringify(goTimestamp(options.now ?? new Date()))}`,
    '  generatedBy: airgap-lint',
    'chart:',
    `  name: ${yamlScalar(chartName)}`,
    `  version: ${yamlScalar(chartVersion)}`,
  ];
  if (selection.images.length === 0) body.push('images: []');
  else {
    body.push('images:');
    for (const entry of selection.images) {
      const note = optionalNote(entry);
      if (note) body.push(`  # ${note}`);
      body.push(
        `  - name: ${yamlScalar(lastComponent(entry.repository))}`,
        `    image: ${yamlScalar(entry.source)}`,
        `    chart: ${yamlScalar(chartName)}`,
        '    digests: []',
      );
    }
  }
  return lines(header, body, invalidComments(selection));
}
