// `hauler`: a Hauler content manifest, `apiVersion: content.hauler.cattle.io/v1`, `kind: Images`,
// `metadata.name`, `spec.images: [{name: REF}]` (hauler-dev/hauler pkg/apis/hauler.cattle.io/v1/
// image.go: Name "is the full location for the image, can be referenced by tags or digests";
// `platform` unset pulls all platforms; testdata/hauler-manifest.yaml). References are written as
// the chart pulls them, tag and digest included.
//
// Commands (hauler flags: internal/flags/sync.go `--filename/-f`): `hauler store sync -f FILE`,
// `hauler store save`, then inside the air gap `hauler store load` and `hauler store copy
// registry://MIRROR`, which pushes each image to MIRROR/<its repository path>[:tag|@digest]
// without its source registry (pkg/content/registry.go RewriteRefToRegistry; copy_test.go:
// SRC/myorg/repo1:v1 → DEST/myorg/repo1:v1), i.e. the nested layout, MIRROR may carry a path
// prefix. With a flat layout, copy with --format skopeo-copy instead.

import type { ImageList, ImageListFormatOptions } from '../types';
import { baseName, commonDestination, dnsLabel, headerLines, invalidComments, lines, mirrorOf, optionalNote, selectImages, yamlScalar } from './common';

export function formatHauler(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const name = dnsLabel(baseName(list, options));
  const mirrored = selection.images.some((e) => mirrorOf(e)?.ok);
  const dest = mirrored ? commonDestination(selection.images, (e) => e.repository) : null;
  const placement = !mirrored
    ? ['hauler store copy pushes each image to MIRROR/<its repository path> (the nested layout).']
    : dest
      ? [`hauler store copy registry://${dest} puts every image at its mirror reference (MIRROR/<repository path>).`]
      : [
          'hauler store copy pushes each image to MIRROR/<its repository path>, which is not where the mirror',
          'references of these values point (flat layout?): copy into the mirror with --format skopeo-copy instead.',
        ];
  const header = headerLines(list, 'Hauler manifest (content.hauler.cattle.io/v1 Images).', selection, [
    'Run: hauler store sync -f FILE && hauler store save',
    `inside the air gap: hauler store load && hauler store copy registry://${dest ?? 'MIRROR'}`,
    ...placement,
  ]);
  const body = ['apiVersion: content.hauler.cattle.io/v1', 'kind: Images', 'metadata:', `  name: ${yamlScalar(name)}`, 'spec:'];
  if (selection.images.length === 0) body.push('  images: []');
  else {
    body.push('  images:');
    for (const entry of selection.images) {
      const note = optionalNote(entry);
      if (note) body.push(`    # ${note}`);
      body.push(`    - name: ${yamlScalar(entry.source)}`);
    }
  }
  return lines(header, body, invalidComments(selection));
}
