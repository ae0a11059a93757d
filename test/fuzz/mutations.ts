// Mutations of a values file as plain data (so that fast-check can print and shrink them) and
// the pure function that applies them. Positions are natural numbers taken modulo the text's
// lines or length, so any mutation applies to any text and shrinks towards its start.
import fc from 'fast-check';

export type Mutation =
  | { kind: 'delete-lines'; at: number; count: number }
  | { kind: 'duplicate-lines'; at: number; count: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'indent'; at: number; count: number; delta: number }
  | { kind: 'tabs'; at: number; count: number }
  | { kind: 'bom'; at: number }
  | { kind: 'line-endings'; style: 'crlf' | 'cr' | 'mixed'; seed: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'insert-line'; at: number; text: string }
  | { kind: 'delete-span'; at: number; length: number }
  | { kind: 'huge-scalar'; at: number; shape: 'plain' | 'quoted' | 'no-proxy' | 'block' | 'image' | 'flow'; size: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'replace-value'; at: number; value: string }
  | { kind: 'rename-key'; at: number; key: string };

/** Lines with their breaks (the last one may have none), so that joining gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

function lineBreakOf(line: string): string {
  return /\r\n$|\r$|\n$/.exec(line)?.[0] ?? '';
}

function withoutBreak(line: string): string {
  return line.slice(0, line.length - lineBreakOf(line).length);
}

const HUGE_UNIT: Record<Extract<Mutation, { kind: 'huge-scalar' }>['shape'], (i: number) => string> = {
  plain: (i) => 'abcdefghij'[i % 10],
  quoted: (i) => (i % 40 === 0 ? '\\n' : 'x'),
  'no-proxy': (i) => `host${i}.example.com,10.${i % 256}.0.0/16,`,
  block: (i) => (i % 60 === 59 ? '\n  ' : 'y'),
  image: (i) => `seg${i}/`,
  flow: (i) => `a${i}, `,
};

/** A scalar of about `size` units, as a whole line in one of the shapes the rules read. */
function hugeLine(shape: Extract<Mutation, { kind: 'huge-scalar' }>['shape'], size: number): string {
  // `size` is about the scalar's length in characters, whatever the length of one unit.
  const units = Math.max(1, Math.round(size / HUGE_UNIT[shape](0).length));
  let body = '';
  for (let i = 0; i < units; i++) body += HUGE_UNIT[shape](i);
  switch (shape) {
    case 'plain':
      return `hugeKey: ${body}\n`;
    case 'quoted':
      return `hugeQuoted: "${body}"\n`;
    case 'no-proxy':
      return `env:\n  - name: NO_PROXY\n    value: "${body}"\n`;
    case 'block':
      return `hugeBlock: |\n  ${body}\n`;
    case 'image':
      return `image:\n  repository: registry.example.com/${body}app\n  tag: "1.0"\n`;
    case 'flow':
      return `hugeFlow: [${body}]\n`;
  }
}

/** Applies one mutation. Pure: the same text and mutation always give the same result. */
export function applyMutation(text: string, m: Mutation): string {
  const lines = splitLines(text);
  const n = lines.length;
  const lineAt = (k: number) => (n ? k % n : 0);
  const offset = (k: number) => k % (text.length + 1);
  switch (m.kind) {
    case 'delete-lines': {
      const at = lineAt(m.at);
      return [...lines.slice(0, at), ...lines.slice(at + m.count)].join('');
    }
    case 'duplicate-lines': {
      const at = lineAt(m.at);
      const block = lines.slice(at, at + m.count);
      // A duplicated last line without a break must not glue onto its copy.
      if (block.length && !lineBreakOf(block[block.length - 1])) block[block.length - 1] += '\n';
      return [...lines.slice(0, at), ...block, ...lines.slice(at)].join('');
    }
    case 'swap-lines': {
      if (n < 2) return text;
      const a = lineAt(m.a);
      const b = lineAt(m.b);
      const out = [...lines];
      // Each line keeps the break at its position, so a missing last break stays last.
      out[a] = withoutBreak(lines[b]) + lineBreakOf(lines[a]);
      out[b] = withoutBreak(lines[a]) + lineBreakOf(lines[b]);
      return out.join('');
    }
    case 'indent': {
      const at = lineAt(m.at);
      return lines
        .map((line, i) => {
          if (i < at || i >= at + m.count) return line;
          if (m.delta >= 0) return ' '.repeat(m.delta) + line;
          const lead = /^ */.exec(line)![0].length;
          return line.slice(Math.min(lead, -m.delta));
        })
        .join('');
    }
    case 'tabs': {
      const at = lineAt(m.at);
      return lines.map((line, i) => (i < at || i >= at + m.count ? line : line.replace(/^( {2})+/, (s) => '\t'.repeat(s.length / 2)))).join('');
    }
    case 'bom': {
      const at = m.at % 3 === 0 ? 0 : offset(m.at);
      return text.slice(0, at) + '\uFEFF' + text.slice(at);
    }
    case 'line-endings': {
      if (m.style === 'crlf') return text.replace(/\r?\n/g, '\r\n');
      if (m.style === 'cr') return text.replace(/\r?\n/g, '\r');
      let k = m.seed;
      return text.replace(/\r?\n/g, () => ['\n', '\r\n', '\r'][(k = (k * 1103515245 + 12345) >>> 0) % 3]);
    }
    case 'insert': {
      const at = offset(m.at);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'insert-line': {
      const at = lineAt(m.at);
      const indent = /^[ \t]*/.exec(lines[at] ?? '')![0];
      // Every line before `at` ends with a break: only the last line may lack one.
      return lines.slice(0, at).join('') + indent + m.text + '\n' + lines.slice(at).join('');
    }
    case 'delete-span': {
      const at = offset(m.at);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'huge-scalar': {
      const at = lineAt(m.at);
      return [...lines.slice(0, at), hugeLine(m.shape, m.size), ...lines.slice(at)].join('');
    }
    case 'truncate':
      return text.slice(0, offset(m.at));
    case 'replace-value':
    case 'rename-key': {
      // The first `key: value` line from `at` on (wrapping around): rules read values by key.
      for (let k = 0; k < n; k++) {
        const i = (lineAt(m.at) + k) % n;
        const parts = KEY_VALUE_LINE.exec(withoutBreak(lines[i]));
        if (!parts) continue;
        const [, lead, key, sep, value] = parts;
        const out = [...lines];
        out[i] = (m.kind === 'rename-key' ? lead + m.key + sep + value : lead + key + (sep === ':' ? ': ' : sep) + m.value) + lineBreakOf(lines[i]);
        return out.join('');
      }
      return text;
    }
  }
}

/** `  - key: value` split into indentation and dash, key, separator, value (with any comment). */
const KEY_VALUE_LINE = /^(\s*(?:-\s+)?)([^\s#:'"{}[\],][^:#]*?)(:(?:\s+|$))(.*)$/;

export function applyMutations(text: string, mutations: Mutation[]): string {
  return mutations.reduce(applyMutation, text);
}

/** Snippets the rules look for, so that mutations reach them (proxies, images, placeholders, suppressions, anchors). */
const DOMAIN_SNIPPETS = [
  'NO_PROXY: "localhost,127.0.0.1,.svc,10.0.0.0/8"',
  'no_proxy: "*.cluster.local, ,localhost"',
  'HTTPS_PROXY: "http://user:s3cret@proxy.corp:3128"',
  'HTTP_PROXY: http://proxy.corp:3128',
  '- name: NO_PROXY\n  value: "localhost,localhost"',
  '- {name: HTTPS_PROXY, value: "http://proxy:8080"}',
  'proxy: {httpProxy: "http://p:1", noProxy: ".cluster.local"}',
  'image: docker.io/library/nginx:1.25',
  'image:\n  registry: quay.io\n  repository: org/app\n  tag: latest',
  'repository: ghcr.io/org/app@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564',
  'tag: <mirror-registry>/app:1.0',
  'registry: "<registry>"',
  'imagePullSecrets: []',
  'global:\n  imageRegistry: ""',
  '# airgap-lint-disable-next-line image/not-mirrored, proxy/no-proxy-missing',
  '# airgap-lint-disable yaml/duplicate-key',
  'anchor: &a {x: 1}',
  '<<: *a',
  'alias: *a',
  'key: !!binary aGVsbG8=',
  '? complex key\n: value',
  '---',
  '...',
  '%YAML 1.1',
  'multi: |\n  line one\n  line two',
  'folded: >-\n  text',
  '# yaml-language-server: $schema=./values.schema.json',
];

/** Text that breaks YAML structure: unclosed quotes and brackets, stray indicators. */
const BROKEN_SNIPPETS = ['"', "'", '[', '{', ']', '}', '"unclosed', "'unclosed", '[a, b', '{a: 1', ': ', '- ', '? ', '&', '*', '!', '|', '>', '%', '@', '`', '#', ',', '\\', '{{ .Values.x }}', '"\\u00', '"\\x'];

/** Characters that stress UTF-16 offsets and line breaking. */
const UNICODE_SNIPPETS = [
  '😀', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'e\u0301', '\u200B', '\u00A0', '\u2028', '\u2029', '\u0085', '\uFEFF', '\uD800', '\uDC00', 'מימין', '日本語', '\u0000', '\u001B', '\u007F', '\uFFFD', '\uFFFF',
];

const snippet = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DOMAIN_SNIPPETS) },
  { weight: 3, arbitrary: fc.constantFrom(...BROKEN_SNIPPETS) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE_SNIPPETS) },
  // Random bytes: any code point, lone surrogates and control characters included.
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

/** Keys the proxy and image rules look for. */
const KEYS = ['NO_PROXY', 'no_proxy', 'HTTP_PROXY', 'https_proxy', 'noProxy', 'httpProxy', 'httpsProxy', 'proxy', 'env', 'name', 'value', 'image', 'registry', 'repository', 'tag', 'digest', 'imagePullSecrets', 'pullSecrets', 'global', 'imageRegistry', 'enabled', 'separator', '<<'];

/** Values the rules parse: NO_PROXY lists, proxy URLs, image references, placeholders, odd scalars. */
const NO_PROXY_ENTRIES = ['localhost', '127.0.0.1', '::1', '[::1]', '.svc', '*.cluster.local', '*', '.', '..', '10.0.0.0/8', '10.0.0.0/33', '0.0.0.0/0', 'fd00::/8', 'fd00:10:96::/112', 'host:8080', '.corp.example.com', '169.254.169.254', 'xn--bcher-kva.example', 'bücher.example', ' ', '', '1.2.3', '256.1.1.1', '10.0.0.1/8', '::ffff:10.0.0.1', '*.', '.*', 'a..b', '-host', 'host-'];
const VALUE_PARTS = [
  'http://proxy.corp:3128', 'http://user:p%40ss@proxy:8080', 'https://[::1]:3128', 'socks5://p:1080', 'http://', 'http://:0', 'proxy.corp:3128', 'http://%zz', 'http://host:99999',
  'docker.io/library/nginx:1.25', 'nginx', 'quay.io/org/app@sha256:6e2cdb22d6ab7264ea198c717f555e30536b54029d26c8781b9f25f78951b564', 'registry:5000/a/b/c:tag', 'UPPER/Case:Tag', 'a/b:c:d', ':tag', '@sha256:', 'harbor.corp:5000/quay.io/org/app',
  '<mirror-registry>', '<registry>/app', 'REPLACE_ME', '${REGISTRY}', '{{ .Values.registry }}', 'changeme', '~', 'null', 'yes', 'no', '0x1F', '1e3', '.inf', '-', '|', '>', '[]', '{}', '[a, b]', '{a: 1}', '"', "''", '&anchor', '*alias', '!!str', '!custom',
];
const valueArb = fc.oneof(
  fc.array(fc.constantFrom(...NO_PROXY_ENTRIES), { minLength: 1, maxLength: 8 }).chain((entries) => fc.constantFrom(',', ', ', ' ', ';').map((sep) => entries.join(sep))),
  fc.constantFrom(...VALUE_PARTS),
  fc.tuple(fc.constantFrom('"', "'", ''), fc.constantFrom(...VALUE_PARTS, ...NO_PROXY_ENTRIES)).map(([q, v]) => q + v + q),
);

const lineIndex = fc.nat({ max: 100_000 });
const charIndex = fc.nat({ max: 1_000_000 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete-lines' as const), at: lineIndex, count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('duplicate-lines' as const), at: lineIndex, count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('swap-lines' as const), a: lineIndex, b: lineIndex }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('indent' as const), at: lineIndex, count: fc.integer({ min: 1, max: 8 }), delta: fc.integer({ min: -4, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tabs' as const), at: lineIndex, count: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bom' as const), at: charIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('line-endings' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const), seed: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: charIndex, text: snippet }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert-line' as const), at: lineIndex, text: snippet }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete-span' as const), at: charIndex, length: fc.integer({ min: 1, max: 300 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge-scalar' as const),
      at: lineIndex,
      shape: fc.constantFrom('plain' as const, 'quoted' as const, 'no-proxy' as const, 'block' as const, 'image' as const, 'flow' as const),
      size: fc.integer({ min: 1_000, max: 100_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: charIndex }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace-value' as const), at: lineIndex, value: valueArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('rename-key' as const), at: lineIndex, key: fc.constantFrom(...KEYS) }) },
);

/** A composition of mutations, applied in order. */
export const mutationsArb = (maxLength = 6) => fc.array(mutationArb, { minLength: 1, maxLength });
