// `idms`: OpenShift node-level mirror configuration, two documents of `config.openshift.io/v1`
// (cluster-scoped, OpenShift 4.13+): an ImageDigestMirrorSet (`spec.imageDigestMirrors`) and an
// ImageTagMirrorSet (`spec.imageTagMirrors`), each a list of `{source, mirrors: [...]}`
// (openshift/api config/v1/types_image_digest_mirror_set.go and types_image_tag_mirror_set.go).
//
// Decisions:
// - One entry per source repository (`quay.io/kubernaut-ai/gateway`), its mirror the repository
//   of the entry's mirror reference (tag and digest stripped), so it is right for any layout:
//   nested (harbor.corp/kubernaut-ai/gateway), flat (quay.io/myorg/kubernaut-ai-gateway, which a
//   prefix rule could not express) or with a path prefix. Entries are never widened to a
//   namespace or a registry: the sets are cluster-wide and the most specific source wins, so
//   `source: quay.io` would send every quay.io pull of every workload to this mirror first (and
//   fail them all once someone adds NeverContactSource). oc-mirror v2 widens to the namespace
//   when the destination path ends with the source path (internal/pkg/clusterresources/
//   clusterresources.go attemptNamespaceScope); we keep the exact list the values need.
// - Both sets list every mirrored repository. IDMS applies to pulls by digest only and ITMS to
//   pulls by tag (the API docs); oc-mirror v2 puts only digest-pinned images in its IDMS and
//   the others in its ITMS, but a chart whose tags get pinned later would then need a new IDMS.
// - Several mirrors for one source (different overlays) are merged in order, without duplicates
//   (`mirrors` is a set). mirrorSourcePolicy is left unset (AllowContactingSource).
// - `source` and `mirrors` must match the API's validation patterns (copied below); a reference
//   that does not (an IPv6 host) is listed as a comment. No mirror configured: no documents,
//   a comment that mirror.registry is needed.

import type { ImageList, ImageListFormatOptions } from '../types';
import {
  alreadyMirrored,
  baseName,
  commentText,
  dnsLabel,
  headerLines,
  invalidComments,
  lines,
  mirrorOf,
  optionalNote,
  selectImages,
  sourceName,
  yamlScalar,
} from './common';

// The +kubebuilder:validation:Pattern of ImageDigestMirrors.Source (without its `*.host`
// alternative) and of ImageMirror in openshift/api config/v1/types_image_digest_mirror_set.go,
// written without its ambiguous `[-]*` separator (`-+` matches the same strings: an empty
// separator only joins two alphanumeric runs), so a long malformed path cannot make it backtrack
// exponentially.
const API_NAME =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

interface Pair {
  source: string;
  mirrors: string[];
  notes: string[];
  allOptional: boolean;
}

export function formatIdms(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const name = dnsLabel(baseName(list, options));
  const pairs = new Map<string, Pair>();
  const skipped: string[] = [];
  let unmirrored = 0;
  for (const entry of selection.images) {
    const m = mirrorOf(entry);
    if (m === null) {
      skipped.push(`${entry.source}: no mirror reference`);
      unmirrored++;
      continue;
    }
    if (!m.ok) {
      skipped.push(`${entry.source}: ${m.reason}`);
      continue;
    }
    if (alreadyMirrored(entry, m.mirror)) {
      skipped.push(`${entry.source}: already in the mirror`);
      continue;
    }
    const source = sourceName(entry);
    if (!API_NAME.test(source) || !API_NAME.test(m.mirror.name)) {
      skipped.push(`${entry.source}: ${source} -> ${m.mirror.name} is not a source/mirror the API accepts`);
      continue;
    }
    const pair = pairs.get(source) ?? { source, mirrors: [], notes: [], allOptional: true };
    pairs.set(source, pair);
    if (!pair.mirrors.includes(m.mirror.name)) pair.mirrors.push(m.mirror.name);
    const note = optionalNote(entry);
    if (note === null) pair.allOptional = false;
    else if (!pair.notes.includes(note)) pair.notes.push(note);
  }

  const header = headerLines(list, 'OpenShift ImageDigestMirrorSet and ImageTagMirrorSet (config.openshift.io/v1).', selection, [
    'Apply: oc apply -f FILE (OpenShift 4.13+; older clusters take an ImageContentSourcePolicy with the same pairs).',
    'ImageDigestMirrorSet redirects pulls by digest only, ImageTagMirrorSet pulls by tag; both list every mirrored',
    'repository, so pinning digests later needs no new entry. One entry per source repository, never a whole',
    'registry: these sets are cluster-wide, and `source: quay.io` would send every quay.io pull to this mirror first.',
    'A pull the mirror cannot serve falls back to the source; add mirrorSourcePolicy: NeverContactSource to forbid it.',
  ]);

  // Without any mirror configured, "no mirror reference" for every image says nothing new.
  const listSkipped = pairs.size > 0 || list.mirror?.registry || skipped.length !== unmirrored;
  const notMirrored = listSkipped && skipped.length
    ? ['', '# Not in the mirror sets:', ...skipped.slice(0, 1000).map((s) => `#   ${commentText(s, 400)}`), ...(skipped.length > 1000 ? [`#   … and ${skipped.length - 1000} more`] : [])]
    : [];

  if (pairs.size === 0) {
    const why = list.mirror?.registry
      ? '# No image has a usable mirror reference: nothing to redirect.'
      : '# No mirror.registry is configured: set mirror.registry (airgapLint.mirror.registry, or mirror.registry in\n# .airgap-lint.yaml) and its layout to generate the ImageDigestMirrorSet and ImageTagMirrorSet.';
    return lines(header, ['', why], notMirrored, invalidComments(selection));
  }

  const entries = (key: string): string[] => {
    const out = [`  ${key}:`];
    for (const pair of pairs.values()) {
      if (pair.allOptional) for (const note of pair.notes) out.push(`    # ${note}`);
      out.push(`    - source: ${yamlScalar(pair.source)}`, '      mirrors:', ...pair.mirrors.map((m) => `        - ${yamlScalar(m)}`));
    }
    return out;
  };
  const doc = (kind: string, key: string): string[] => [
    'apiVersion: config.openshift.io/v1',
    `kind: ${kind}`,
    'metadata:',
    `  name: ${yamlScalar(name)}`,
    'spec:',
    ...entries(key),
  ];
  return lines(
    header,
    ['---'],
    doc('ImageDigestMirrorSet', 'imageDigestMirrors'),
    ['---'],
    doc('ImageTagMirrorSet', 'imageTagMirrors'),
    notMirrored,
    invalidComments(selection),
  );
}
