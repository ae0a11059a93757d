// "Show Effective Values": the merged values of a file's layer stack as YAML, each value
// annotated with the file and line it comes from (`# from values-ocp.yaml:35`). What Helm
// would install, and which `-f` file to edit to change each value.
//
// Every scalar (and every empty map or list) gets an annotation; a map merged from several
// layers shows each of its values' own origins; a list replaces lists below it as a whole, so
// its items all come from the layer whose list won.
import * as nodePath from 'node:path';
import { Document, isCollection, isPair, isScalar, type Node as YamlNode } from 'yaml';
import type { ResolvedConfig } from '../config';
import type { ValuesDocument } from '../document';
import { effectiveStack, findStack, type LayerStack, type MergedLayers } from '../layers';
import type { FileHost, ValuePath } from '../types';

/** What the service needs from an Engine (the Engine class satisfies it). */
export interface StackSource {
  readonly host: FileHost;
  configFor(path: string): ResolvedConfig;
  getDocument(path: string): ValuesDocument | undefined;
}

export interface EffectiveValuesOptions {
  /** How a file is named in annotations; default: relative to the folder of the file asked for. */
  displayPath?: (absPath: string) => string;
  /** Stop annotating past this many values (the text stays complete). Default 50,000. */
  maxAnnotations?: number;
}

export interface EffectiveValuesResult {
  /** The YAML text (header comments, then the values). */
  text: string;
  stack: LayerStack;
  /** Layers that could not be read (missing or too large), shown in the header too. */
  missing: string[];
}

const DEFAULT_MAX_ANNOTATIONS = 50_000;

/** The effective values of `path`'s layer stack, as annotated YAML. */
export function effectiveValuesFor(path: string, source: StackSource, options: EffectiveValuesOptions = {}): EffectiveValuesResult {
  const abs = nodePath.resolve(path);
  const doc = source.getDocument(abs);
  const display = options.displayPath ?? ((p: string) => relativeName(nodePath.dirname(abs), p));
  if (!doc) {
    const stack = findStack(abs, source.configFor(abs), source.host);
    return { text: `${headerLines(abs, stack, [], [abs], display).join('\n')}\n{}\n`, stack, missing: [abs] };
  }
  const { stack, docs, missing, unusable, merged } = effectiveStack(doc, source.configFor(abs), source);
  const header = headerLines(abs, stack, docs, missing, display, unusable);
  const body = renderMerged(merged, display, options.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS);
  return { text: `${header.join('\n')}\n${body}`, stack, missing };
}

function relativeName(fromDir: string, file: string): string {
  const rel = nodePath.relative(fromDir, file);
  return (rel === '' ? nodePath.basename(file) : rel).split(nodePath.sep).join('/');
}

function headerLines(
  path: string,
  stack: LayerStack,
  docs: ValuesDocument[],
  missing: string[],
  display: (p: string) => string,
  unusable: string[] = [],
): string[] {
  const how =
    stack.source === 'config'
      ? 'layers from the configuration'
      : stack.source === 'implicit'
        ? "the chart's values.yaml under this overlay"
        : 'a single file';
  const lines = [`# Effective values of ${display(path)} (${how})`];
  if (stack.files.length > 1) {
    lines.push('# Layers in helm -f order, later files win:');
    stack.files.forEach((f, i) => lines.push(`#   ${i + 1}. ${display(f)}`));
  }
  for (const f of missing) lines.push(`# Not read (missing or too large): ${display(f)}`);
  for (const f of unusable) lines.push(`# Not merged (its top level is not a map of values): ${display(f)}`);
  for (const doc of docs) {
    const problems = doc.problems.filter((p) => p.kind !== 'duplicate-key');
    if (problems.length) {
      lines.push(`# ${display(doc.path)} has ${problems.length} YAML problem(s): its values are what could be read. First: ${oneLine(problems[0].message)}`);
    }
  }
  return lines;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The merged values as YAML, with `# from FILE:LINE` after every scalar and empty collection. */
function renderMerged(merged: MergedLayers, display: (p: string) => string, maxAnnotations: number): string {
  const yamlDoc = new Document(merged.values as unknown, { keepSourceTokens: false });
  let budget = maxAnnotations;
  const annotate = (node: YamlNode, path: ValuePath): void => {
    if (budget <= 0) return;
    const where = merged.locate(path);
    if (!where) return;
    const loc = where.location;
    const anchorNode = loc?.key ?? loc?.node;
    const range = anchorNode ? where.doc.rangeOf(anchorNode as { range?: [number, number, number] | null }) : undefined;
    const line = range ? `:${range.start.line + 1}` : '';
    node.comment = ` from ${display(where.doc.path)}${line}`;
    budget--;
  };
  const walk = (node: unknown, path: ValuePath): void => {
    if (isScalar(node)) {
      annotate(node, path);
      return;
    }
    if (!isCollection(node)) return;
    if (node.items.length === 0) {
      // Flow `{}` / `[]` carry the comment on their line.
      node.flow = true;
      annotate(node, path);
      return;
    }
    node.items.forEach((item, i) => {
      if (isScalar(item) || isCollection(item)) walk(item, [...path, i]);
      else if (isPair(item)) walk(item.value, [...path, isScalar(item.key) ? String(item.key.value) : String(item.key)]);
    });
  };
  walk(yamlDoc.contents, []);
  if (isCollection(yamlDoc.contents) && yamlDoc.contents.items.length === 0) return '{}\n';
  return yamlDoc.toString({ lineWidth: 0, blockQuote: false, nullStr: 'null' });
}
