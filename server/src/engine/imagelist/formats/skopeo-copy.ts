// `skopeo-copy`: a POSIX sh script with one `skopeo copy --all --preserve-digests docker://SRC
// docker://MIRROR` per image, to the image's exact mirror reference, so it works for any layout
// (nested, flat, a path prefix) where skopeo sync cannot (see skopeo-sync.ts).
//
// Facts it relies on:
// - `--all` copies every image of a manifest list and the list itself; `--preserve-digests`
//   fails rather than change a digest (containers/skopeo docs/skopeo-copy.1.md). Together they
//   keep a digest pinned in the values valid in the mirror.
// - The docker transport takes `name[:tag|@digest]`, "not both a tag and a digest at the same
//   time"; digests are accepted in a destination "as long as the manifest matches"
//   (containers/image docs/containers-transports.5.md; copy/single.go checks it).
//   So an image pinned as tag@digest is copied from `SRC@digest` to `MIRROR:tag`: the mirror
//   then has that exact manifest under the tag, and `MIRROR:tag@digest` pulls it by digest.
// - A digest-only image is pushed under the tag `sha256-<hex>`, the tag oc-mirror v2 gives such
//   images (openshift/oc-mirror internal/pkg/additional/local_stored_collector.go), so registries
//   that garbage-collect untagged manifests keep it; `MIRROR@sha256:…` pulls it. A digest whose
//   tag would pass the 128-character tag limit (sha512) is pushed to `MIRROR@digest` instead.
// - Images without a mirror reference are written commented out, with the reason; when none has
//   one, the script stops with an error instead of silently copying nothing.
// - Kubernaut's guide: the OpenShift internal registry rejects multi-arch pushes (HTTP 500), so
//   there `--override-os linux --override-arch amd64` without `--all` (and without
//   `--preserve-digests`, as a single-platform copy cannot keep a list digest).

import { parseReference } from '../../images/reference';
import type { ImageList, ImageListEntry, ImageListFormatOptions } from '../types';
import { alreadyMirrored, commentText, headerLines, invalidComments, lines, mirrorOf, optionalNote, plural, selectImages, sourceName } from './common';

const COPY = 'skopeo copy --all --preserve-digests';
const TAG_MAX = 128;

/** Single-quoted for sh: every character literal, `'` written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function sourceRef(entry: ImageListEntry): string {
  const name = sourceName(entry);
  if (entry.digest) return `${name}@${entry.digest}`;
  return `${name}:${entry.tag ?? 'latest'}`;
}

function copyLine(source: string, destination: string): string {
  return `${COPY} ${shellQuote(`docker://${source}`)} ${shellQuote(`docker://${destination}`)}`;
}

interface Planned {
  notes: string[];
  command: string;
  active: boolean;
}

function plan(entry: ImageListEntry): Planned {
  const notes: string[] = [];
  const optional = optionalNote(entry);
  if (optional) notes.push(optional);
  const src = sourceRef(entry);
  const parsed = parseReference(src);
  if (!parsed.ok || !parsed.domain) {
    notes.push(`not copied: source ${entry.source} does not parse${parsed.ok ? '' : ` (${parsed.message})`}`);
    return { notes, command: '', active: false };
  }
  const m = mirrorOf(entry);
  if (m === null) {
    notes.push(`not copied: ${entry.source} has no mirror reference (set mirror.registry)`);
    return { notes, command: copyLine(src, `<mirror.registry>/${entry.repository}`), active: false };
  }
  if (!m.ok) {
    notes.push(`not copied: ${m.reason}`);
    return { notes, command: copyLine(src, `<mirror.registry>/${entry.repository}`), active: false };
  }
  const mirror = m.mirror;
  if (alreadyMirrored(entry, mirror)) {
    notes.push(`already in the mirror: ${entry.source}`);
    return { notes, command: '', active: false };
  }
  let destination: string;
  if (mirror.tag !== undefined) {
    destination = `${mirror.name}:${mirror.tag}`;
    if (entry.digest) notes.push(`${entry.tag ? `tag ${entry.tag} ` : ''}pinned by digest: copied from the digest to the tag; --preserve-digests keeps ${entry.digest}`);
  } else if (mirror.digest !== undefined) {
    const digestTag = mirror.digest.replace(':', '-');
    if (digestTag.length <= TAG_MAX) {
      destination = `${mirror.name}:${digestTag}`;
      notes.push(`digest only: pushed under the tag ${digestTag} so that it stays tagged; pulled as ${mirror.name}@${mirror.digest}`);
    } else {
      destination = `${mirror.name}@${mirror.digest}`;
      notes.push('digest only: pushed by digest (a sha256-style tag would be longer than 128 characters)');
    }
  } else {
    destination = `${mirror.name}:latest`;
    if (!entry.tag && !entry.digest) notes.push('no tag or digest in the values: the runtime pulls latest');
  }
  return { notes, command: copyLine(src, destination), active: true };
}

export function formatSkopeoCopy(list: ImageList, options: ImageListFormatOptions = {}): string {
  const selection = selectImages(list, options);
  const planned = selection.images.map(plan);
  const copies = planned.filter((p) => p.active).length;
  const hosts = new Set<string>();
  planned.forEach((p, i) => {
    if (!p.active) return;
    const entry = selection.images[i];
    const m = mirrorOf(entry);
    hosts.add(entry.registry);
    if (m?.ok) hosts.add(m.mirror.name.slice(0, m.mirror.name.indexOf('/')));
  });
  const header = headerLines(list, 'skopeo copy script: every image to its exact mirror reference.', selection, [
    `${plural(copies, 'copy', 'copies')} below; images not copied are commented with the reason. Run: sh FILE`,
    '--all copies every platform and the list itself; --preserve-digests fails rather than change a digest.',
    `Log in first: skopeo login <host> for ${[...hosts].map((h) => commentText(h, 100)).join(', ') || 'each registry'}.`,
    'The OpenShift internal registry rejects multi-arch pushes (HTTP 500): for it use',
    '--override-os linux --override-arch amd64 instead of --all --preserve-digests (the digest then changes).',
  ]);
  const body: string[] = ['set -eu'];
  if (copies === 0) {
    body.push(
      '',
      selection.images.length === 0
        ? "echo 'airgap-lint: no images to copy' >&2"
        : "echo 'airgap-lint: no image has a mirror reference: set mirror.registry and generate this script again' >&2",
      'exit 1',
    );
  }
  let grouped = false;
  for (const p of planned) {
    // A blank line before every image with comments, and one before the first of a run without.
    if (p.notes.length || !grouped) body.push('');
    grouped = p.notes.length === 0;
    for (const note of p.notes) body.push(`# ${commentText(note, 400)}`);
    if (p.command) body.push(p.active ? p.command : `# ${commentText(p.command, 1000)}`);
  }
  return lines(['#!/bin/sh'], header, body, invalidComments(selection));
}
