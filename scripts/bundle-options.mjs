// esbuild options shared by the shipped bundles (scripts/build.mjs) and the benchmark's copy of
// the engine (bench/run.mjs), so that `npm run bench` measures the code the server runs.

/**
 * `yaml`'s ES module build instead of its CommonJS one. Same sources and behaviour; the only
 * differences are that `!!binary` decodes to a Uint8Array rather than a Buffer (document.ts
 * reads both through `instanceof Uint8Array`) and that `yaml` warns through console.warn.
 * The CommonJS build reaches the bundle through esbuild's interop wrapper, which turns every
 * `isMap`/`isScalar`/`isPair` call in our engine into a getter call: on a first lint of
 * kube-prometheus-stack ×4 the ES build was ~9% faster (median of 11 fresh processes each).
 */
const YAML_ES_MODULE = './node_modules/yaml/browser/index.js';

export const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Whitespace and syntax are minified, identifiers are not: stack traces keep the source's
  // names without esbuild's keepNames, which wraps every named closure in a `__name()` call
  // (measurable in the schema interpreter, which creates thousands) and loaded ~15% slower.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  external: ['vscode'],
  alias: { yaml: YAML_ES_MODULE },
};
