// `skopeo-sync`: the YAML source file of `skopeo sync --src yaml`: top-level keys are source
// registry hosts (with the port, if any), under each `images: {REPOSITORY: [TAG or DIGEST, …]}`
// (containers/skopeo docs/skopeo-sync.1.md, "YAML file content": `redis: ["1.0", "2.0",
// "sha256:…"]`; an empty list means every tag, so an image without tag or digest is listed as
// `latest`, what a runtime pulls). cmd/skopeo/sync.go reads each list item as a digest when
// go-digest parses it, else as a tag.
//
// An image written with a tag and a digest is listed by its digest alone: the docker transport
// takes a tag or a digest, not both (containers/image docs/containers-transports.5.md), and the
// digest is what the chart pulls. Its destination is then `…@sha256:…`, which the transport
// accepts as long as the manifest matches ("Digests can also be used in an image destination").
//
// Where sync puts the images (cmd/skopeo/sync.go: destSuffix = the source reference, and
// `if !opts.scoped { destSuffix = path.Base(destSuffix) }`, destination = DEST/destSuffix):
// - without --scoped: DEST/<last path component>[:tag|@digest]: registry AND namespaces dropped,
//   so quay.io/kubernaut-ai/gateway:1.6.0 lands at DEST/gateway:1.6.0 (not DEST/kubernaut-ai/…);
// - with --scoped: DEST/<registry>/<repository>[:tag|@digest].
// Neither is the nested (MIRROR/<repository>) or flat (MIRROR/<path joined with ->) layout in
// general. The header says which DEST, if any, reproduces the mirror references of these values,
// and otherwise points at skopeo-copy.

import type { ImageList, ImageListEntry, ImageListFormatOptions } from '../types';
import {
  commentText,
  commonDestination,
  headerLines,
  invalidComments,
  lastComponent,
  lines,
  mirrorOf,
  optionalNote,
  selectImages,
  yamlKey,
  yamlScalar,
} from './common';

interface Item {
  value: string;
  notes: string[];
}

function itemOf(entry: ImageListEntry): Item {
  const notes: string[] = [];
  const optional = optionalNote(entry);
  if (optional) notes.push(optional);
  if (entry.digest) {
    if (entry.tag) notes.push(`tag ${entry.tag} pinned by this digest: copied by digest, the tag is not copied`);
    return { value: entry.digest, notes };
  }
  if (entry.tag) return { value: entry.tag, notes };
  notes.push('no tag or digest in the values: the runtime pulls latest ([] would copy every tag)');
  return { value: 'latest', notes };
}

function placement(list: ImageList, images: ImageListEntry[]): { command: string; lines: string[] } {
  const base = 'skopeo sync --src yaml --dest docker --all --preserve-digests';
  const sample = images.find((e) => e.repository.includes('/')) ?? images[0];
  const example = sample ? `${sample.registry}/${sample.repository}` : 'quay.io/org/app';
  const out = [
    'Where skopeo sync puts each image (cmd/skopeo/sync.go keeps path.Base of the source unless --scoped):',
    `  without --scoped: DEST/<last path component>   ${example} -> DEST/${lastComponent(example)}`,
    `  with --scoped:    DEST/<registry>/<repository>  ${example} -> DEST/${example}`,
  ];
  const mirrored = images.some((e) => mirrorOf(e)?.ok);
  const unscoped = mirrored ? commonDestination(images, (e) => lastComponent(e.repository)) : null;
  const scoped = mirrored && !unscoped ? commonDestination(images, (e) => `${e.registry}/${e.repository}`) : null;
  let command = `${base} FILE DEST`;
  if (unscoped) {
    command = `${base} FILE ${unscoped}`;
    out.push(`With DEST = ${unscoped} (no --scoped) every image lands at its mirror reference.`);
  } else if (scoped) {
    command = `${base} --scoped FILE ${scoped}`;
    out.push(`With --scoped and DEST = ${scoped} every image lands at its mirror reference.`);
  } else if (mirrored) {
    out.push(
      `Neither is where the mirror references of these values point (${list.mirror?.layout === 'flat' ? 'flat' : 'nested'} layout: MIRROR/<repository>${
        list.mirror?.layout === 'flat' ? ' joined with -' : ''
      }), and skopeo sync`,
      'cannot produce that layout: use --format skopeo-copy, which copies every image to its exact mirror reference.',
    );
  } else {
    out.push('No mirror references (mirror.registry is not configured): choose DEST and the layout, then point the chart at it.');
  }
  const byBase = new Map<string, Set<string>>();
  for (const e of images) {
    const name = lastComponent(e.repository);
    const set = byBase.get(name) ?? new Set<string>();
    set.add(`${e.registry}/${e.repository}`);
    byBase.set(name, set);
  }
  const clashes = [...byBase.entries()].filter(([, repos]) => repos.size > 1);
  if (clashes.length) {
    out.push('Without --scoped these repositories land in the same DEST/<name>, and their tags can overwrite each other:');
    for (const [name, repos] of clashes.slice(0, 20)) out.push(`  ${name}: ${[...repos].join(', ')}`);
    if (clashes.length > 20) out.push(`  … and ${clashes.length - 20} more names`);
  }
  return { command, lines: out };
}

export function formatSkopeoSync(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const registries = new Map<string, Map<string, Item[]>>();
  for (const entry of selection.images) {
    const repos = registries.get(entry.registry) ?? new Map<string, Item[]>();
    registries.set(entry.registry, repos);
    const items = repos.get(entry.repository) ?? [];
    repos.set(entry.repository, items);
    const item = itemOf(entry);
    const same = items.find((i) => i.value === item.value);
    if (same) same.notes.push(...item.notes.filter((n) => !same.notes.includes(n)));
    else items.push(item);
  }
  const where = placement(list, selection.images);
  const header = headerLines(list, 'skopeo sync source file (skopeo sync --src yaml).', selection, [
    `Run: ${where.command}`,
    ...where.lines,
    'Digest-pinned images are listed by digest and land as DEST/…@sha256:… (no tag).',
  ]);
  const body: string[] = [];
  for (const [registry, repos] of registries) {
    body.push(`${yamlKey(registry)}:`, '  images:');
    for (const [repository, items] of repos) {
      body.push(`    ${yamlKey(repository)}:`);
      for (const item of items) {
        for (const note of item.notes) body.push(`      # ${commentText(note, 400)}`);
        body.push(`      - ${yamlScalar(item.value)}`);
      }
    }
  }
  if (body.length === 0) body.push('# No images to sync.', '{}');
  return lines(header, body, invalidComments(selection));
}
