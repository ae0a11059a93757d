// Each generator format's summary and the language its output opens in, as plain data: the
// engine (ALLOWLIST_FORMAT_INFO, the language a GenerateResult names) and the client's quick
// picks (through protocol.ts) read them from here, so the client bundle does not pull in the
// formatters. Only types are imported.
import type { AllowlistFormat } from './allowlist/types';
import type { ImageListFormat } from './imagelist/types';

/** One output format of a generator, for the client's quick pick. */
export interface GeneratorFormat<F extends string = string> {
  format: F;
  summary: string;
  /** The language the client opens the output in (as the server's GenerateResult says). */
  language: string;
}

/** The allowlist formats, in the CLI's order. */
export const ALLOWLIST_FORMAT_CHOICES: readonly GeneratorFormat<AllowlistFormat>[] = [
  { format: 'text', language: 'egress-allowlist', summary: 'By feature, for people (Robusta style): wildcards with their exact hosts' },
  { format: 'json', language: 'json', summary: 'Machine-readable list (CLI contract: version 1)' },
  { format: 'csv', language: 'csv', summary: 'Spreadsheet / change ticket rows' },
  { format: 'squid', language: 'plaintext', summary: 'Squid dstdomain/dst ACLs and http_access lines' },
  { format: 'cilium', language: 'yaml', summary: 'CiliumNetworkPolicy with toFQDNs and the DNS rule' },
  { format: 'egressfirewall', language: 'yaml', summary: 'OVN-Kubernetes / OpenShift EgressFirewall' },
  { format: 'istio', language: 'yaml', summary: 'Istio ServiceEntries (MESH_EXTERNAL)' },
  { format: 'calico', language: 'yaml', summary: 'Calico Enterprise GlobalNetworkSets (allowedEgressDomains)' },
  { format: 'aws-network-firewall', language: 'json', summary: 'AWS Network Firewall domain list rule group' },
  { format: 'azure-firewall', language: 'json', summary: 'Azure Firewall Policy rule collection group (ARM template)' },
  { format: 'verify', language: 'shellscript', summary: 'Shell script checking TCP+TLS to each host from a pod' },
];

/** The image list formats, in the CLI's order (`overlay` is its own command in the client). */
export const IMAGE_LIST_FORMAT_CHOICES: readonly GeneratorFormat<ImageListFormat>[] = [
  { format: 'list', language: 'plaintext', summary: 'One reference per line (hauler --image-txt, shell loops)' },
  { format: 'json', language: 'json', summary: 'Machine-readable list (CLI contract: version 1)' },
  { format: 'oc-mirror', language: 'yaml', summary: 'oc-mirror v2 ImageSetConfiguration (additionalImages)' },
  { format: 'oc-mirror-v1', language: 'yaml', summary: 'oc-mirror v1 ImageSetConfiguration (with storageConfig)' },
  { format: 'skopeo-sync', language: 'yaml', summary: 'Source file of skopeo sync --src yaml' },
  { format: 'skopeo-copy', language: 'shellscript', summary: 'Shell script: skopeo copy of each image to its mirror reference' },
  { format: 'hauler', language: 'yaml', summary: 'Hauler content manifest (kind: Images)' },
  { format: 'zarf', language: 'yaml', summary: 'Zarf package definition (zarf.yaml) with the images' },
  { format: 'imageslock', language: 'yaml', summary: 'Images.lock of the Distribution Tooling for Helm (dt)' },
  { format: 'idms', language: 'yaml', summary: 'OpenShift ImageDigestMirrorSet and ImageTagMirrorSet' },
  { format: 'overlay', language: 'yaml', summary: 'values-airgap.yaml: every image moved to mirror.registry' },
];

