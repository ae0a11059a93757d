// Output formats as pure functions: exact JSON contract, SARIF fields GitHub code scanning
// needs, the text layout, grouping and de-duplication of layered findings, secret redaction.
import { strict as assert } from 'node:assert';
import * as nodePath from 'node:path';
import Ajv from 'ajv';
import {
  countSeverities,
  escapeGithubData,
  escapeGithubProperty,
  formatCodeClimate,
  formatGithub,
  displayPath,
  FINGERPRINT_KEY,
  formatJson,
  formatSarif,
  formatText,
  groupByFile,
  hasFindingsAtOrAbove,
  redactSecrets,
  sarifRegion,
  toCodeClimate,
  toSarif,
} from '../server/src/engine/report';
import { ruleDocsUrl } from '../server/src/engine/rules/catalog';
import type { FileResult, Finding } from '../server/src/engine/types';
import { range } from './helpers';

const CWD = nodePath.resolve('/work/repo');
const BASE = nodePath.join(CWD, 'charts/agent/values.yaml');
const OVERLAY = nodePath.join(CWD, 'charts/agent/values-airgap.yaml');
const CLEAN = nodePath.join(CWD, 'charts/agent/values-dev.yaml');

function finding(over: Partial<Finding>): Finding {
  return {
    code: 'yaml/duplicate-key',
    severity: 'error',
    message: 'Duplicate key "image".',
    path: BASE,
    range: range(3, 2, 3, 7),
    fixes: [],
    ...over,
  };
}

const typo = finding({
  code: 'schema/additionalProperties',
  message: 'Unknown key "retension" in components.collector. Did you mean "retention"?',
  path: OVERLAY,
  range: range(11, 4, 11, 13),
  fixes: [
    { title: 'Rename to "retention"', safe: false, preferred: true, edits: [{ range: range(11, 4, 11, 13), newText: 'retention' }] },
    { title: 'Set cluster profile…', safe: false, edits: [], command: { command: 'airgapLint.setProfile', title: 'Set profile' } },
  ],
});
const pinned = finding({ code: 'image/pinned-tag', severity: 'warning', message: 'Pinned tag.', path: OVERLAY, range: range(20, 6, 20, 18) });
// A layered lint of the overlay reports a base-layer value on the base file.
const baseFromOverlay = finding({ code: 'schema/type', message: 'must be integer', path: BASE, range: range(7, 14, 7, 17) });

const results: FileResult[] = [
  { path: BASE, findings: [finding({}), baseFromOverlay] },
  { path: OVERLAY, findings: [pinned, typo, baseFromOverlay] },
  { path: CLEAN, findings: [] },
];

describe('report: common', () => {
  it('groups findings under the file they point at, once each, keeping every linted file', () => {
    const grouped = groupByFile(results);
    assert.deepEqual(grouped.map((r) => r.path), [BASE, OVERLAY, CLEAN]);
    assert.deepEqual(grouped[0].findings.map((f) => f.code), ['yaml/duplicate-key', 'schema/type']);
    assert.deepEqual(grouped[1].findings.map((f) => f.code), ['schema/additionalProperties', 'image/pinned-tag']);
    assert.deepEqual(grouped[2].findings, []);
  });

  it('makes paths relative to the working directory with forward slashes', () => {
    assert.equal(displayPath(OVERLAY, CWD), 'charts/agent/values-airgap.yaml');
    assert.equal(displayPath(nodePath.resolve('/elsewhere/values.yaml'), CWD), '../../elsewhere/values.yaml');
  });

  it('counts severities and applies the --fail-on threshold', () => {
    assert.deepEqual(countSeverities(groupByFile(results)), { error: 3, warning: 1, info: 0, hint: 0 });
    const warningsOnly = [{ path: BASE, findings: [pinned, finding({ severity: 'hint' })] }];
    assert.equal(hasFindingsAtOrAbove(warningsOnly, 'error'), false);
    assert.equal(hasFindingsAtOrAbove(warningsOnly, 'warning'), true);
    assert.equal(hasFindingsAtOrAbove([{ path: BASE, findings: [finding({ severity: 'info' })] }], 'warning'), false);
  });

  it('redacts the password of URLs in messages', () => {
    assert.equal(
      redactSecrets('HTTPS_PROXY "http://svc-robusta:s3cr3t@proxy.corp:3128" has inline credentials'),
      'HTTPS_PROXY "http://svc-robusta:***@proxy.corp:3128" has inline credentials',
    );
    assert.equal(redactSecrets('http://proxy.corp:3128 and user@host'), 'http://proxy.corp:3128 and user@host');
  });
});

describe('report: json', () => {
  it('writes exactly the contract shape, 0-based ranges, every linted file', () => {
    const report = JSON.parse(formatJson(results, { cwd: CWD }));
    assert.deepEqual(report, {
      version: 1,
      files: [
        {
          path: 'charts/agent/values.yaml',
          diagnostics: [
            { code: 'yaml/duplicate-key', severity: 'error', message: 'Duplicate key "image".', range: range(3, 2, 3, 7), fixes: [] },
            { code: 'schema/type', severity: 'error', message: 'must be integer', range: range(7, 14, 7, 17), fixes: [] },
          ],
        },
        {
          path: 'charts/agent/values-airgap.yaml',
          diagnostics: [
            {
              code: 'schema/additionalProperties',
              severity: 'error',
              message: 'Unknown key "retension" in components.collector. Did you mean "retention"?',
              range: range(11, 4, 11, 13),
              // The command-only fix is not representable in the contract and is left out.
              fixes: [{ title: 'Rename to "retention"', edits: [{ range: range(11, 4, 11, 13), newText: 'retention' }] }],
            },
            { code: 'image/pinned-tag', severity: 'warning', message: 'Pinned tag.', range: range(20, 6, 20, 18), fixes: [] },
          ],
        },
        { path: 'charts/agent/values-dev.yaml', diagnostics: [] },
      ],
    });
  });

  it('leaves out fixes whose edits belong to another file', () => {
    const f = finding({ fixes: [{ title: 'Edit the base', safe: true, path: OVERLAY, edits: [{ range: range(0, 0, 0, 0), newText: 'x' }] }] });
    const report = JSON.parse(formatJson([{ path: BASE, findings: [f] }], { cwd: CWD }));
    assert.deepEqual(report.files[0].diagnostics[0].fixes, []);
  });
});

describe('report: sarif', () => {
  const sources: Record<string, string> = {
    [BASE]: 'a: 1\nb: 2\nc: 3\n  image: x\n',
    [OVERLAY]: '',
  };
  const sarif = toSarif(results, { cwd: CWD, toolVersion: '0.1.0', sourceText: (p) => sources[p] });
  const run = sarif.runs[0];

  it('has the top-level fields and one run with the tool, rules and UTF-16 columns', () => {
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    assert.equal(run.tool.driver.name, 'airgap-lint');
    assert.equal(run.tool.driver.version, '0.1.0');
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.results.length, 4);
  });

  it('describes every rule GitHub shows: id, descriptions, help, helpUri, default level', () => {
    const ids = run.tool.driver.rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
    for (const id of ['yaml/syntax', 'yaml/duplicate-key', 'schema/type', 'schema/additionalProperties', 'image/pinned-tag']) {
      assert.ok(ids.includes(id), id);
    }
    assert.ok(!ids.some((id) => id.includes('*')), 'no wildcard rule ids');
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0);
      assert.ok(rule.fullDescription.text.length > 0);
      assert.ok(rule.help.text.length > 0);
      assert.equal(rule.helpUri, ruleDocsUrl(rule.id));
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    const dup = run.tool.driver.rules.find((r) => r.id === 'yaml/duplicate-key')!;
    assert.equal(dup.defaultConfiguration.level, 'error');
    assert.equal(dup.helpUri, ruleDocsUrl('yaml/duplicate-key'));
  });

  it('gives each result ruleId, a consistent ruleIndex, level, message and a relative location', () => {
    for (const r of run.results) {
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(r.level));
      assert.ok(r.message.text.length > 0);
      const loc = r.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.match(loc.artifactLocation.uri, /^charts\/agent\/values(-airgap)?\.yaml$/);
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
      assert.match(r.partialFingerprints[FINGERPRINT_KEY], /^[0-9a-f]{32}:\d+$/);
    }
    const warning = run.results.find((r) => r.ruleId === 'image/pinned-tag')!;
    assert.equal(warning.level, 'warning');
  });

  it('converts LSP ranges to 1-based regions with an exclusive end column', () => {
    assert.deepEqual(sarifRegion(range(3, 2, 3, 7)), { startLine: 4, startColumn: 3, endLine: 4, endColumn: 8 });
    const first = run.results[0];
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 4, startColumn: 3, endLine: 4, endColumn: 8 });
  });

  it('maps info and hint to note', () => {
    const s = toSarif([{ path: BASE, findings: [finding({ severity: 'info' }), finding({ severity: 'hint', range: range(0, 0, 0, 1) })] }], { cwd: CWD, toolVersion: '0' });
    assert.deepEqual(s.runs[0].results.map((r) => r.level), ['note', 'note']);
  });

  it('carries fixes as artifact changes with 1-based deleted regions', () => {
    const r = run.results.find((x) => x.ruleId === 'schema/additionalProperties')!;
    assert.deepEqual(r.fixes, [
      {
        description: { text: 'Rename to "retention"' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'charts/agent/values-airgap.yaml', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 12, startColumn: 5, endLine: 12, endColumn: 14 }, insertedContent: { text: 'retention' } }],
          },
        ],
      },
    ]);
  });

  it('fingerprints by rule, path and line text: stable when lines move, distinct for repeats', () => {
    const at = (line: number, text: string) =>
      toSarif([{ path: BASE, findings: [finding({ range: range(line, 0, line, 5) })] }], { cwd: CWD, toolVersion: '0', sourceText: () => text })
        .runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
    assert.equal(at(0, 'image: x\n'), at(2, '# new\n# lines\nimage: x\n'));
    assert.notEqual(at(0, 'image: x\n'), at(0, 'image: y\n'));
    const twice = toSarif([{ path: BASE, findings: [finding({ range: range(0, 0, 0, 1) }), finding({ range: range(1, 0, 1, 1) })] }], {
      cwd: CWD,
      toolVersion: '0',
      sourceText: () => 'dup: 1\ndup: 1\n',
    }).runs[0].results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    assert.equal(twice[0].split(':')[0], twice[1].split(':')[0]);
    assert.notEqual(twice[0], twice[1]);
  });

  it('uses a file URI for files outside the working directory and percent-encodes names', () => {
    const outside = nodePath.resolve('/tmp/other chart/values.yaml');
    const s = toSarif([{ path: outside, findings: [finding({ path: outside })] }, { path: nodePath.join(CWD, 'my chart/values#1.yaml'), findings: [finding({ path: nodePath.join(CWD, 'my chart/values#1.yaml') })] }], { cwd: CWD, toolVersion: '0' });
    const locs = s.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation);
    assert.equal(locs[0].uriBaseId, undefined);
    assert.match(locs[0].uri, /^file:\/\/.*other%20chart\/values\.yaml$/);
    assert.deepEqual(locs[1], { uri: 'my%20chart/values%231.yaml', uriBaseId: '%SRCROOT%' });
  });

  it('writes an empty results array when there is nothing to report', () => {
    const s = JSON.parse(formatSarif([{ path: CLEAN, findings: [] }], { cwd: CWD, toolVersion: '0' }));
    assert.deepEqual(s.runs[0].results, []);
    assert.ok(s.runs[0].tool.driver.rules.length > 0);
  });
});

describe('report: text', () => {
  it('prints path:line:col, severity, message and rule id, 1-based, then a summary', () => {
    const out = formatText(results, { cwd: CWD });
    assert.equal(
      out,
      [
        'charts/agent/values.yaml:4:3   error  Duplicate key "image".  yaml/duplicate-key',
        'charts/agent/values.yaml:8:15  error  must be integer  schema/type',
        '',
        'charts/agent/values-airgap.yaml:12:5  error    Unknown key "retension" in components.collector. Did you mean "retention"?  schema/additionalProperties',
        'charts/agent/values-airgap.yaml:21:7  warning  Pinned tag.  image/pinned-tag',
        '',
        '4 problems (3 errors, 1 warning) in 3 files linted.',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to report, and lists fixed files', () => {
    assert.equal(formatText([{ path: CLEAN, findings: [] }], { cwd: CWD }), 'No problems found (1 file linted).\n');
    const out = formatText([{ path: CLEAN, findings: [] }], { cwd: CWD, fixedFiles: [CLEAN] });
    assert.match(out, /Safe fixes applied to 1 file: charts\/agent\/values-dev\.yaml\./);
  });

  it('counts info and hints only when there are some', () => {
    const out = formatText([{ path: BASE, findings: [finding({ severity: 'info' }), finding({ severity: 'hint', range: range(5, 0, 5, 1) })] }], { cwd: CWD });
    assert.match(out, /2 problems \(0 errors, 0 warnings, 1 info, 1 hint\)/);
  });

  it('colours only when asked, and never lets a message carry control characters', () => {
    const evil = finding({ message: 'value "\u001b[2Jgone"\nsecond line' });
    const plain = formatText([{ path: BASE, findings: [evil] }], { cwd: CWD });
    assert.ok(!plain.includes('\u001b'), 'no escape sequences in plain output');
    assert.match(plain, /value "\[2Jgone" second line/);
    const coloured = formatText([{ path: BASE, findings: [evil] }], { cwd: CWD, color: true });
    assert.ok(coloured.includes('\u001b[31merror\u001b[0m'));
  });
});

// The grammar of a workflow command as the runner parses it (actions/runner ActionCommand):
// `::name key=value,key=value::message`, where escaped property values contain no `,` or `:`
// and the escaped message no line break.
const GITHUB_LINE =
  /^::(error|warning|notice) file=([^,:\r\n]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^,:\r\n]+)::([^\r\n]*)$/;

/** The runner's unescaping (actions/runner ActionCommand.Unescape…), to check round trips. */
function unescapeGithub(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

describe('report: github', () => {
  it('writes one workflow command per finding, in the documented grammar, 1-based', () => {
    const out = formatGithub(results, { cwd: CWD });
    assert.ok(out.endsWith('\n'));
    const lines = out.slice(0, -1).split('\n');
    assert.equal(lines.length, 4);
    const parsed = lines.map((l) => {
      const m = GITHUB_LINE.exec(l);
      assert.ok(m, `not a workflow command: ${l}`);
      return { level: m[1], file: m[2], line: +m[3], col: +m[4], endLine: +m[5], endColumn: +m[6], title: m[7], message: m[8] };
    });
    assert.deepEqual(parsed[0], {
      level: 'error',
      file: 'charts/agent/values.yaml',
      line: 4,
      col: 3,
      endLine: 4,
      endColumn: 7,
      title: 'yaml/duplicate-key',
      message: 'Duplicate key "image".',
    });
    assert.deepEqual(parsed.map((p) => [p.level, p.file, p.title]), [
      ['error', 'charts/agent/values.yaml', 'yaml/duplicate-key'],
      ['error', 'charts/agent/values.yaml', 'schema/type'],
      ['error', 'charts/agent/values-airgap.yaml', 'schema/additionalProperties'],
      ['warning', 'charts/agent/values-airgap.yaml', 'image/pinned-tag'],
    ]);
    assert.deepEqual(parsed.map((p) => [p.line, p.col]), [[4, 3], [8, 15], [12, 5], [21, 7]]);
  });

  it('maps info and hint to notice, and writes nothing when there is nothing to report', () => {
    const out = formatGithub([{ path: BASE, findings: [finding({ severity: 'info' }), finding({ severity: 'hint', range: range(0, 0, 0, 0) })] }], { cwd: CWD });
    assert.deepEqual(out.trim().split('\n').map((l) => GITHUB_LINE.exec(l)?.[1]), ['notice', 'notice']);
    // An empty range still marks one column.
    assert.match(out, /line=1,col=1,endLine=1,endColumn=1,/);
    assert.equal(formatGithub([{ path: CLEAN, findings: [] }], { cwd: CWD }), '');
  });

  it('escapes properties and the message as actions/toolkit does', () => {
    assert.equal(escapeGithubData('100% a:b,c\r\nd'), '100%25 a:b,c%0D%0Ad');
    assert.equal(escapeGithubProperty('100% a:b,c\r\nd'), '100%25 a%3Ab%2Cc%0D%0Ad');
    const odd = nodePath.join(CWD, 'charts/a,b/values:1.yaml');
    const message = 'Use 100% of "a,b": c\nsecond line \u001b[2J';
    const out = formatGithub([{ path: odd, findings: [finding({ path: odd, message })] }], { cwd: CWD });
    assert.equal(out.split('\n').length, 2, 'one line');
    const m = GITHUB_LINE.exec(out.trimEnd());
    assert.ok(m, out);
    assert.equal(m[2], 'charts/a%2Cb/values%3A1.yaml');
    assert.equal(unescapeGithub(m[2]), 'charts/a,b/values:1.yaml');
    assert.equal(m[8], 'Use 100%25 of "a,b": c%0Asecond line [2J');
    assert.equal(unescapeGithub(m[8]), 'Use 100% of "a,b": c\nsecond line [2J');
  });

  it('redacts secrets in messages', () => {
    const out = formatGithub([{ path: BASE, findings: [finding({ message: 'proxy http://u:s3cr3t@proxy.corp:3128' })] }], { cwd: CWD });
    assert.ok(!out.includes('s3cr3t'));
    assert.match(out, /::proxy http:\/\/u:\*\*\*@proxy\.corp:3128$/m);
  });
});

// GitLab's "Code Quality report format" (docs.gitlab.com/ci/testing/code_quality/): an array of
// issues with description, check_name, fingerprint, severity and location.path +
// location.lines.begin, severity one of info, minor, major, critical, blocker.
const CODE_QUALITY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', pattern: '^[0-9a-f]{32,64}$' },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      type: { const: 'issue' },
      categories: { type: 'array', items: { type: 'string' } },
      location: {
        type: 'object',
        required: ['path', 'lines'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(/|[A-Za-z]:)' } },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 } } },
        },
      },
    },
  },
};

describe('report: codeclimate', () => {
  const schema = new Ajv({ allErrors: true, strict: true }).compile(CODE_QUALITY_SCHEMA);
  const validate = Object.assign((data: unknown): boolean => schema(data), { get errors() { return schema.errors; } });
  const sources: Record<string, string> = { [BASE]: 'a: 1\nb: 2\nc: 3\n  image: x\n', [OVERLAY]: '' };

  it('writes the documented Code Quality shape', () => {
    const report = JSON.parse(formatCodeClimate(results, { cwd: CWD, sourceText: (p) => sources[p] }));
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(report.length, 4);
    assert.deepEqual(
      { ...report[0], fingerprint: undefined },
      {
        type: 'issue',
        check_name: 'yaml/duplicate-key',
        description: 'Duplicate key "image".',
        categories: ['Bug Risk'],
        fingerprint: undefined,
        severity: 'major',
        location: { path: 'charts/agent/values.yaml', lines: { begin: 4 } },
      },
    );
    assert.deepEqual(report.map((i: { severity: string }) => i.severity), ['major', 'major', 'major', 'minor']);
    assert.equal(new Set(report.map((i: { fingerprint: string }) => i.fingerprint)).size, 4, 'fingerprints differ');
    assert.deepEqual(JSON.parse(formatCodeClimate([{ path: CLEAN, findings: [] }], { cwd: CWD })), []);
  });

  it('maps info and hint to info, and redacts secrets', () => {
    const report = toCodeClimate([{ path: BASE, findings: [finding({ severity: 'info', message: 'http://u:s3cr3t@h' }), finding({ severity: 'hint', range: range(0, 0, 0, 1) })] }], { cwd: CWD });
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.deepEqual(report.map((i) => i.severity), ['info', 'info']);
    assert.ok(!JSON.stringify(report).includes('s3cr3t'));
  });

  it('fingerprints: stable across runs and when lines move, distinct for other findings and repeats', () => {
    const at = (line: number, text: string, over: Partial<Finding> = {}) =>
      toCodeClimate([{ path: BASE, findings: [finding({ range: range(line, 0, line, 5), ...over })] }], { cwd: CWD, sourceText: () => text })[0].fingerprint;
    assert.equal(at(0, 'image: x\n'), at(0, 'image: x\n'));
    assert.equal(at(0, 'image: x\n'), at(2, '# new\n# lines\nimage: x\n'));
    assert.notEqual(at(0, 'image: x\n'), at(0, 'image: y\n'));
    assert.notEqual(at(0, 'image: x\n'), at(0, 'image: x\n', { code: 'schema/type' }));
    assert.notEqual(at(0, 'image: x\n'), at(0, 'image: x\n', { path: OVERLAY }));
    const twice = toCodeClimate([{ path: BASE, findings: [finding({ range: range(0, 0, 0, 1) }), finding({ range: range(1, 0, 1, 1) })] }], {
      cwd: CWD,
      sourceText: () => 'dup: 1\ndup: 1\n',
    }).map((i) => i.fingerprint);
    assert.notEqual(twice[0], twice[1]);
  });
});

describe('report: the headline and its detail', () => {
  // A finding with an explanation (detail) and a related location; the detail holds a URL
  // password that every format must redact, and is long enough for the text format to wrap.
  const explained = finding({
    code: 'proxy/credentials-inline',
    severity: 'warning',
    message: 'HTTPS_PROXY has a password in the values file: keep the URL in a Secret (valueFrom.secretKeyRef)',
    detail:
      'Anyone who can read the file or the release (helm get values) can read it: http://alice:s3cr3t@proxy.corp:3128. ' +
      'The explanation goes on for a while, so that the text format has to wrap it over more than one line below the finding.',
    path: OVERLAY,
    range: range(4, 10, 4, 21),
    related: [{ path: OVERLAY, range: range(5, 18, 5, 33), message: 'the user name and password in the URL' }],
  });
  const REDACTED_DETAIL =
    'Anyone who can read the file or the release (helm get values) can read it: http://alice:***@proxy.corp:3128. ' +
    'The explanation goes on for a while, so that the text format has to wrap it over more than one line below the finding.';
  // `pinned` (line 21) has no detail.
  const withDetail: FileResult[] = [{ path: OVERLAY, findings: [explained, pinned] }];

  it('json: detail and related beside the headline, only on a finding that has them', () => {
    const [a, b] = JSON.parse(formatJson(withDetail, { cwd: CWD })).files[0].diagnostics;
    assert.deepEqual(a, {
      code: 'proxy/credentials-inline',
      severity: 'warning',
      message: explained.message,
      detail: REDACTED_DETAIL,
      range: range(4, 10, 4, 21),
      related: [{ path: 'charts/agent/values-airgap.yaml', range: range(5, 18, 5, 33), message: 'the user name and password in the URL' }],
      fixes: [],
    });
    assert.equal(b.code, 'image/pinned-tag');
    assert.ok(!('detail' in b) && !('related' in b), JSON.stringify(b));
  });

  it('sarif: the detail in properties.detail, the headline in message.text', () => {
    const [a, b] = toSarif(withDetail, { cwd: CWD, toolVersion: '0' }).runs[0].results;
    assert.equal(a.message.text, explained.message);
    assert.deepEqual(a.properties, { detail: REDACTED_DETAIL });
    assert.equal(a.relatedLocations?.length, 1);
    assert.equal(b.properties, undefined);
    assert.ok(!formatSarif(withDetail, { cwd: CWD, toolVersion: '0' }).includes('s3cr3t'));
  });

  it('codeclimate: the detail in content.body, the headline in description', () => {
    const report = toCodeClimate(withDetail, { cwd: CWD });
    assert.equal(report[0].description, explained.message);
    assert.deepEqual(report[0].content, { body: REDACTED_DETAIL });
    assert.equal(report[1].content, undefined);
    assert.ok(!formatCodeClimate(withDetail, { cwd: CWD }).includes('s3cr3t'));
  });

  it('github: the detail follows the headline after a blank line (%0A%0A), on the one command line', () => {
    const out = formatGithub(withDetail, { cwd: CWD });
    const lines = out.slice(0, -1).split('\n');
    assert.equal(lines.length, 2, 'one command line per finding');
    const [a, b] = lines.map((l) => GITHUB_LINE.exec(l)?.[8]);
    assert.equal(a, `${escapeGithubData(explained.message)}%0A%0A${escapeGithubData(REDACTED_DETAIL)}`);
    assert.equal(unescapeGithub(a!), `${explained.message}\n\n${REDACTED_DETAIL}`);
    assert.equal(b, 'Pinned tag.');
  });

  it('text: the detail wrapped and indented 4 spaces under its finding line; quiet leaves it out', () => {
    const headline = `charts/agent/values-airgap.yaml:5:11  warning  ${explained.message}  proxy/credentials-inline`;
    const lines = formatText(withDetail, { cwd: CWD }).split('\n');
    assert.equal(lines[0], headline);
    const pinnedAt = lines.findIndex((l) => l.startsWith('charts/agent/values-airgap.yaml:21:7'));
    const detailLines = lines.slice(1, pinnedAt);
    assert.ok(detailLines.length >= 2, 'wrapped over several lines');
    for (const l of detailLines) {
      assert.match(l, /^ {4}\S/);
      assert.ok(l.length <= 100, `${l.length} columns: ${l}`);
    }
    assert.equal(detailLines.map((l) => l.slice(4)).join(' '), REDACTED_DETAIL);
    // A finding without a detail is followed directly by the next block.
    assert.equal(lines[pinnedAt + 1], '');
    // A narrower width wraps into more lines.
    const narrow = formatText(withDetail, { cwd: CWD, width: 60 }).split('\n');
    const narrowDetail = narrow.slice(1, narrow.findIndex((l) => l.startsWith('charts/agent/values-airgap.yaml:21:7')));
    assert.ok(narrowDetail.length > detailLines.length);
    for (const l of narrowDetail) assert.ok(l.length <= 60, l);

    const quiet = formatText(withDetail, { cwd: CWD, quiet: true });
    assert.equal(
      quiet,
      [
        headline,
        'charts/agent/values-airgap.yaml:21:7  warning  Pinned tag.  image/pinned-tag',
        '',
        '2 problems (0 errors, 2 warnings) in 1 file linted.',
        '',
      ].join('\n'),
    );
  });
});
