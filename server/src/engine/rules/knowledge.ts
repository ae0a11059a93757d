// schema/invalid-schema for chart knowledge: an annotation of the wrong type, an unknown
// keyword, a malformed `when`, two schemas claiming one chart. Reported on the values files the
// knowledge applies to (the schema itself is not a values file), with the place in the schema
// as related information where the schema is a file the user can open. The rest of the
// knowledge is still used.
import * as nodePath from 'node:path';
import { parseValuesDocument } from '../document';
import { firstLineRange } from '../schema/ranges';
import type { RelatedLocation } from '../types';
import { knowledgeOf, type KnowledgeProblem } from '../knowledge';
import type { LintContext, RuleModule } from './types';
import { clip } from '../wording';

const MAX_LISTED = 5;

function pointerPath(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function relatedIn(ctx: LintContext, p: KnowledgeProblem): RelatedLocation | undefined {
  if (!nodePath.isAbsolute(p.origin)) return undefined; // shipped with airgap-lint, not on disk
  const text = ctx.host.readFile(p.origin);
  if (text === undefined) return undefined;
  const doc = parseValuesDocument(p.origin, text);
  const segments = pointerPath(p.pointer);
  // The deepest part of the pointer that exists (a problem may name a key that is absent).
  for (let n = segments.length; n >= 0; n--) {
    const loc = doc.locate(segments.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
    if (loc?.node) return { path: p.origin, range: doc.rangeOf(loc.key ?? loc.node), message: p.message };
  }
  return undefined;
}

export const knowledgeRules: RuleModule = {
  name: 'knowledge',
  check(ctx) {
    const knowledge = knowledgeOf(ctx);
    if (knowledge.problems.length === 0) return;
    const byOrigin = new Map<string, KnowledgeProblem[]>();
    for (const p of knowledge.problems) byOrigin.set(p.origin, [...(byOrigin.get(p.origin) ?? []), p]);
    for (const [origin, problems] of byOrigin) {
      const shown = problems.slice(0, MAX_LISTED).map((p) => `${p.pointer || '/'}: ${p.message}`);
      const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
      const related = problems
        .slice(0, 20)
        .map((p) => relatedIn(ctx, p))
        .filter((r): r is RelatedLocation => r !== undefined);
      ctx.report({
        code: 'schema/invalid-schema',
        severity: 'warning',
        message: clip(`The chart knowledge in ${origin} has ${problems.length} problem${problems.length === 1 ? '' : 's'}: the rest of it is used`),
        detail: `${shown.join('; ')}${more}.`,
        range: firstLineRange(ctx.doc),
        related,
      });
    }
  },
};
