// ip-cidr is an ES module that does `import ipAddress from 'ip-address'` (a CommonJS package
// that sets __esModule without a default export). Node and esbuild give it module.exports as
// the default; tsx's CommonJS transform (our test runner) gives it `undefined`. Giving the
// CommonJS module a `default` that points at itself makes both agree. ip-cidr reads the binding
// lazily, so this only has to run before the first CIDR is built, which importing this module
// from cidr.ts guarantees.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ipAddress = require('ip-address') as { default?: unknown };
if (ipAddress && ipAddress.default === undefined) {
  Object.defineProperty(ipAddress, 'default', { value: ipAddress });
}
export {};
