// Every NO_PROXY case extracted from the upstream test suites (test/vectors), run through
// the matcher of its runtime. Each loader follows the file's `semantics` paragraph.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import {
  curlBypasses,
  goBypasses,
  goConfigFromEnv,
  goProxyForURL,
  nodeBypasses,
  nodeNoProxyFromEnv,
  nodeProxyFromEnv,
  pythonShouldBypass,
} from '../server/src/engine/noproxy';
import { rangeHas, rangeOf, singleAddress } from '../server/src/engine/noproxy/cidr';
import { curlMatcher } from '../server/src/engine/noproxy/curl';
import { parseIPv4, parseIPv6 } from '../server/src/engine/noproxy/ip';
import { VECTORS } from './helpers';

function load<T>(name: string): T {
  return JSON.parse(readFileSync(nodePath.join(VECTORS, name), 'utf8')) as T;
}

type Env = Record<string, string>;

describe('NO_PROXY vectors', () => {
  describe('go-httpproxy.json (golang.org/x/net/http/httpproxy)', () => {
    const file = load<{
      cases: Array<{ env: Env; cgi: boolean; url: string; expectProxy: string | null; expectError: boolean; errorMessage?: string }>;
      noProxyCases: Array<{ noProxy: string; url: string; addr: string; proxied: boolean; test: string }>;
    }>('go-httpproxy.json');

    it('has the documented number of cases', () => {
      assert.equal(file.cases.length, 26);
      assert.equal(file.noProxyCases.length, 55);
    });

    // proxyForURLTests: env keys map straight onto Config fields (absent = unset), `cgi` is Config.CGI.
    file.cases.forEach((c, i) => {
      it(`proxyForURL #${i}: ${JSON.stringify(c.env)} ${c.url}`, () => {
        const cfg = { httpProxy: c.env.HTTP_PROXY, httpsProxy: c.env.HTTPS_PROXY, noProxy: c.env.NO_PROXY, cgi: c.cgi };
        const got = goProxyForURL(cfg, c.url);
        assert.equal(got.proxy, c.expectProxy);
        assert.equal(got.error !== undefined, c.expectError);
        if (c.errorMessage) assert.equal(got.error, c.errorMessage);
      });
    });

    // useProxy(addr) with addr = host + ":80"; `url` is the equivalent http:// URL.
    file.noProxyCases.forEach((c, i) => {
      it(`useProxy #${i} (${c.test}): ${c.addr} with NO_PROXY=${JSON.stringify(c.noProxy)}`, () => {
        assert.equal(!goBypasses(c.noProxy, c.url), c.proxied);
      });
    });

    it('reads the environment UPPERCASE first, empty counting as unset', () => {
      assert.deepEqual(goConfigFromEnv({ NO_PROXY: 'a', no_proxy: 'b', HTTPS_PROXY: '', https_proxy: 'p' }), {
        httpProxy: undefined,
        httpsProxy: 'p',
        noProxy: 'a',
        cgi: false,
      });
      assert.equal(goConfigFromEnv({ REQUEST_METHOD: 'GET' }).cgi, true);
    });
  });

  describe('curl-noproxy.json (curl proxy_check_noproxy, unit 1614)', () => {
    const file = load<{
      cases: Array<{ host: string; noProxy: string; url: string; proxied: boolean; noProxyMatch: boolean; requiresIPv6?: boolean }>;
      cidrCases: Array<{ family: 4 | 6; address: string; network: string; bits: number; match: boolean }>;
    }>('curl-noproxy.json');

    it('has the documented number of cases', () => {
      assert.equal(file.cases.length, 78);
      assert.equal(file.cidrCases.length, 17);
    });

    // `host` is what upstream passes (bare, IPv6 without brackets); ports and schemes do not matter.
    file.cases.forEach((c, i) => {
      it(`#${i}: ${c.host} with no_proxy=${JSON.stringify(c.noProxy)}`, () => {
        assert.equal(curlBypasses(c.noProxy, { host: c.host }), c.noProxyMatch);
        // The convenience URL gives the same answer (curl ignores ports and schemes).
        assert.equal(curlBypasses(c.noProxy, c.url), c.noProxyMatch);
      });
    });

    // cidr4_match / cidr6_match: bits 0 = whole address; too many bits never match.
    file.cidrCases.forEach((c, i) => {
      it(`cidr${c.family}_match #${i}: ${c.address} in ${c.network}/${c.bits}`, () => {
        // Through the matcher: an entry `network/bits` against the host `address`.
        const entry = c.bits === 0 ? `${c.network}/0` : `${c.network}/${c.bits}`;
        const viaMatcher = curlMatcher.matchToken({ text: entry, start: 0, end: entry.length }, { host: c.address }).matches;
        assert.equal(viaMatcher, c.match);
        // And the arithmetic on its own.
        const parse = c.family === 4 ? parseIPv4 : parseIPv6;
        const max = c.family === 4 ? 32 : 128;
        const addr = { family: c.family, value: parse(c.address)! };
        const net = { family: c.family, value: parse(c.network)! };
        const bits = c.bits === 0 ? max : c.bits;
        const expected = bits > max ? false : rangeHas(bits === max ? singleAddress(net) : rangeOf(net, bits), addr);
        assert.equal(expected, c.match);
      });
    });
  });

  describe('python-requests-noproxy.json (requests should_bypass_proxies)', () => {
    const file = load<{
      cases: Array<{ url: string; noProxy: string; noProxyArgument: string | null; env: Env; proxied: boolean; test: string }>;
    }>('python-requests-noproxy.json');

    it('has the documented number of cases', () => {
      assert.equal(file.cases.length, 59);
    });

    // The environment holds exactly `env`; `noProxyArgument` null means read the environment.
    file.cases.forEach((c, i) => {
      it(`#${i} (${c.test}): ${c.url} with ${JSON.stringify(c.noProxyArgument ?? c.env)}`, () => {
        assert.equal(!pythonShouldBypass(c.url, c.noProxyArgument, c.env), c.proxied);
      });
    });
  });

  describe('node-undici-noproxy.json (undici EnvHttpProxyAgent)', () => {
    const file = load<{
      cases: Array<{ noProxy: string; url: string; proxied: boolean; proxyAgent: 'http' | 'https' | null; env: Env; options: { noProxy?: string }; test: string }>;
      envPrecedenceCases: Array<{ env: Env; options: { httpProxy?: string; httpsProxy?: string }; expectHttpProxy: string | null; expectHttpsProxy: string | null; test: string }>;
    }>('node-undici-noproxy.json');

    it('has the documented number of cases', () => {
      assert.equal(file.cases.length, 124);
      assert.equal(file.envPrecedenceCases.length, 9);
    });

    file.cases.forEach((c, i) => {
      it(`#${i} (${c.test}): ${c.url} with ${JSON.stringify(c.options.noProxy ?? c.env.no_proxy ?? c.env.NO_PROXY ?? '')}`, () => {
        const noProxy = nodeNoProxyFromEnv(c.env, c.options);
        assert.equal(noProxy, c.noProxy, 'effective NO_PROXY');
        const bypass = nodeBypasses(noProxy, c.url);
        assert.equal(!bypass, c.proxied);
        if (!bypass) {
          // Which agent: https: URLs use the https proxy agent (falling back to http_proxy).
          const proxies = nodeProxyFromEnv(c.env, c.options);
          const isHttps = new URL(c.url).protocol === 'https:';
          const agent = isHttps ? (c.env.https_proxy ?? c.env.HTTPS_PROXY ? 'https' : 'http') : 'http';
          assert.ok(isHttps ? proxies.https : proxies.http);
          assert.equal(agent, c.proxyAgent);
        } else {
          assert.equal(c.proxyAgent, null);
        }
      });
    });

    file.envPrecedenceCases.forEach((c, i) => {
      it(`agent construction #${i}: ${c.test}`, () => {
        const got = nodeProxyFromEnv(c.env, c.options);
        assert.equal(got.http, c.expectHttpProxy);
        assert.equal(got.https, c.expectHttpsProxy);
      });
    });
  });
});
