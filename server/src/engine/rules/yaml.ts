// yaml/syntax and yaml/duplicate-key: problems the parser (and our one-pass walk) found.
import type { RuleModule } from './types';
import { splitSentence } from '../wording';

export const yamlRules: RuleModule = {
  name: 'yaml',
  check(ctx) {
    for (const p of ctx.doc.problems) {
      if (p.kind === 'duplicate-key') {
        ctx.report({
          code: 'yaml/duplicate-key',
          ...splitSentence(p.message),
          range: p.range,
          related: p.firstRange ? [{ path: ctx.doc.path, range: p.firstRange, message: 'first definition' }] : undefined,
        });
      } else {
        const severity = p.kind === 'multi-document' ? 'warning' : undefined;
        const { message, detail } = splitSentence(p.message);
        ctx.report({ code: 'yaml/syntax', message: message.replace(/\.$/, ''), ...(detail ? { detail } : {}), range: p.range, severity });
      }
    }
  },
};
