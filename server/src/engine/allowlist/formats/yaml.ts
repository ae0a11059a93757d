// YAML output for the Kubernetes formats: objects built as data and written by the `yaml`
// library (every string quoted as YAML 1.1 needs, since kubectl reads YAML 1.1: `yes`, `on`,
// `0755` stay strings), comments attached to nodes. Comment text is one line per entry
// (oneLine()), so a comment can never end early and start YAML.
import { Document, isNode } from 'yaml';

export interface YamlComment {
  /** Path of the node in the object (keys and sequence indexes). */
  path: Array<string | number>;
  /** Comment lines written above the node. */
  before?: string[];
  /** A comment at the end of the node's line. */
  after?: string;
}

export function yamlDocument(value: unknown, header: string[], comments: YamlComment[] = [], trailer: string[] = []): string {
  const doc = new Document(value, { version: '1.1' });
  if (header.length > 0) doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  for (const c of comments) {
    const node = doc.getIn(c.path, true);
    if (!isNode(node)) continue;
    if (c.before && c.before.length > 0) node.commentBefore = c.before.map((l) => ` ${l}`).join('\n');
    if (c.after) node.comment = ` ${c.after}`;
  }
  if (trailer.length > 0) doc.comment = trailer.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Several YAML documents in one stream. */
export function yamlStream(documents: string[]): string {
  return documents.map((d, i) => (i === 0 ? d : `---\n${d}`)).join('');
}

/** The lines of a YAML text, to be written as comments (an example the user may uncomment). */
export function commentedYaml(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

/** A YAML stream of comments only (nothing to apply), e.g. when no host is left to allow. */
export function commentOnly(lines: string[]): string {
  return `${lines.map((l) => (l.length > 0 ? `# ${l}` : '#')).join('\n')}\n`;
}
