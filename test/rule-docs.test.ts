// The rule pages "Show documentation for RULE" opens offline (scripts/rule-docs.mjs): generated
// from the README's Rules section, one per rule of the catalog, and what the build ships in
// dist/docs/rules is exactly that (run `npm run build` first; npm test does).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { allRules, ruleDocsAnchor, ruleDocsUrl } from '../server/src/engine/rules/catalog';
import { REPO } from './helpers';

type RuleDocPages = (readme: string) => Map<string, string>;

describe('bundled rule documentation', () => {
  let ruleDocPages: RuleDocPages;
  let pages: Map<string, string>;
  const readme = fs.readFileSync(nodePath.join(REPO, 'README.md'), 'utf8');

  before(async () => {
    // An ES module (build.mjs imports it); this suite is compiled to CommonJS.
    ({ ruleDocPages } = (await import(nodePath.join(REPO, 'scripts/rule-docs.mjs'))) as { ruleDocPages: RuleDocPages });
    pages = ruleDocPages(readme);
  });

  it('has a page for every rule of the catalog, headed by the rule ID and its README heading', () => {
    for (const rule of allRules()) {
      const anchor = ruleDocsAnchor(rule.id);
      const page = pages.get(`${anchor}.md`);
      assert.ok(page, `no page for ${rule.id} (${anchor}.md)`);
      const heading = page.split('\n')[0];
      const shown = rule.id === 'schema/*' ? 'schema/<keyword>' : rule.id;
      assert.ok(heading.startsWith(`# \`${shown}\` — ${rule.severity}`), `${rule.id}: ${heading}`);
      // The same anchor as the online link, so both lead to the same text.
      assert.ok(readme.includes(`<a id="${anchor}"></a>\n#### ${heading.slice(2)}`), `${rule.id}: README section`);
      assert.equal(ruleDocsUrl(rule.id).split('#')[1], anchor);
    }
  });

  it('has no page for a rule the catalog does not know, and an index with every rule', () => {
    const anchors = new Set(allRules().map((r) => `${ruleDocsAnchor(r.id)}.md`));
    assert.deepEqual([...pages.keys()].filter((name) => name !== 'index.md' && !anchors.has(name)), []);
    const index = pages.get('index.md')!;
    assert.ok(index.startsWith('# Air-Gap Lint rules\n\nEvery finding has a stable rule ID'));
    for (const name of anchors) assert.ok(index.includes(`<a id="${name.slice(0, -3)}"></a>`), name);
    assert.ok(!index.includes('## Development'), 'the index stops at the end of the Rules section');
  });

  it('keeps a rule\'s text and adds its family\'s introduction (the terms it uses)', () => {
    const page = pages.get('proxy-no-proxy-wildcard.md')!;
    assert.match(page, /^# `proxy\/no-proxy-wildcard` — warning\n\n`\*` as an entry\./);
    assert.match(page, /\n## Proxy and NO_PROXY\n\nAn \*env set\* is one place/);
    assert.ok(!page.includes('proxy/no-proxy-redundant'), 'no text of the next rule');
  });

  it('fails the build on a rule anchor without its heading, or no Rules section', () => {
    assert.throws(() => ruleDocPages('# x\n## Rules\n<a id="a-b"></a>\ntext\n'), /"a-b" is not followed by its #### heading/);
    assert.throws(() => ruleDocPages('# x\n'), /no "## Rules" section/);
  });

  it('is what the build wrote to dist/docs/rules, byte for byte', () => {
    const dir = nodePath.join(REPO, 'dist/docs/rules');
    assert.ok(fs.existsSync(dir), 'dist/docs/rules is missing: run `npm run build` (npm test does)');
    assert.deepEqual(fs.readdirSync(dir).sort(), [...pages.keys()].sort());
    for (const [name, text] of pages) assert.equal(fs.readFileSync(nodePath.join(dir, name), 'utf8'), text, name);
  });
});
