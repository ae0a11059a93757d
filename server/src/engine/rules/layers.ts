// Layers listed in the config (`layers:`) that cannot be read: a missing file, a folder, a path
// outside the workspace that does not exist, a file over the size limit. Reported on each file
// stacked on them (its first values line), whatever rules read the stack, since the file is
// then linted as if that layer were not there.
import * as nodePath from 'node:path';
import { findStack } from '../layers';
import { firstLineRange } from '../schema/ranges';
import { sentence } from '../wording';
import type { LintContext, RuleModule } from './types';

function why(file: string, ctx: LintContext): string {
  // FileHost has no stat: a folder is what lists entries (an empty folder reads as missing).
  const entries = ctx.host.listDir?.(file);
  return entries && entries.length ? `${file} is a folder` : `${file}: missing, a folder or over 16 MB`;
}

export const layerRules: RuleModule = {
  name: 'layers',
  check(ctx: LintContext) {
    const stack = findStack(ctx.doc.path, ctx.config, ctx.host);
    if (stack.source !== 'config') return;
    for (const file of stack.files.slice(0, -1)) {
      if (ctx.getDocument(file)) continue;
      ctx.report({
        code: 'config/invalid',
        message: `The layer ${nodePath.basename(file)} listed before this file in layers: cannot be read: the stack is merged without it`,
        detail: `${sentence(why(file, ctx))}.`,
        range: firstLineRange(ctx.doc),
      });
    }
  },
};
