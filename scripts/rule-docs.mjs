// The rule documentation the extension ships, generated from the README's "## Rules" section
// (the one source: the diagnostics' online links point at the same anchors), so that the two
// cannot drift. One page per rule, named after its README anchor (`proxy-no-proxy-missing.md`,
// what ruleDocsAnchor in server/src/engine/rules/catalog.ts computes), plus index.md with the
// whole section. "Show documentation for RULE" opens the page in VS Code's Markdown preview,
// with no network. build.mjs writes them to dist/docs/rules/; test/rule-docs.test.ts checks
// that every rule of the catalog has its page.

const ANCHOR = /^<a id="([a-z0-9-]+)"><\/a>\s*$/;

/**
 * The README's rule documentation as pages: `{ 'index.md': …, '<anchor>.md': … }`.
 * Throws when the section is missing or a rule anchor has no heading below it, so that a
 * broken README fails the build instead of shipping empty pages.
 * @param {string} readme the README text
 * @returns {Map<string, string>} file name → Markdown
 */
export function ruleDocPages(readme) {
  const lines = readme.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((l) => l.trim() === '## Rules');
  if (start < 0) throw new Error('README.md has no "## Rules" section');
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  const section = lines.slice(start, end);

  /** @type {{ title: string, intro: string[] } | undefined} */
  let family;
  /** @type {Array<{ anchor: string, heading: string, body: string[], family?: { title: string, intro: string[] } }>} */
  const rules = [];
  /** @type {(typeof rules)[number] | undefined} */
  let rule;
  for (let i = 1; i < section.length; i++) {
    const line = section[i];
    const anchor = ANCHOR.exec(line);
    if (anchor) {
      const heading = section[i + 1] ?? '';
      if (!heading.startsWith('#### ')) throw new Error(`README.md: the rule anchor "${anchor[1]}" is not followed by its #### heading`);
      rule = { anchor: anchor[1], heading: heading.slice(5), body: [], family };
      rules.push(rule);
      i++;
    } else if (line.startsWith('### ')) {
      family = { title: line.slice(4), intro: [] };
      rule = undefined;
    } else if (rule) rule.body.push(line);
    else if (family) family.intro.push(line);
  }

  const trimBlank = (/** @type {string[]} */ text) => text.join('\n').trim();
  const pages = new Map();
  // One heading level up: the README nests the section under its title.
  const whole = section.slice(1).map((l) => (/^#{3,4} /.test(l) ? l.slice(1) : l));
  pages.set('index.md', `# Air-Gap Lint rules\n\n${trimBlank(whole)}\n`);
  for (const r of rules) {
    const parts = [`# ${r.heading}`, '', trimBlank(r.body)];
    // The family's introduction defines the terms the rule's text uses (env set, image, overlay …).
    if (r.family && trimBlank(r.family.intro)) parts.push('', `## ${r.family.title}`, '', trimBlank(r.family.intro));
    parts.push('', '---', '', 'All rules: [index.md](index.md). Generated from the "Rules" section of the Air-Gap Lint README.');
    pages.set(`${r.anchor}.md`, parts.join('\n') + '\n');
  }
  return pages;
}
