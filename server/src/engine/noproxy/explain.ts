// Wording shared by the matchers, so that every runtime explains a near miss the same way.
import type { EntryMatch } from './types';

/**
 * Why the host-name entry `entry` (matching `apex`, and its subdomains) does not match `host`.
 * Names the common trap: `.svc` beside `x.ns.svc.cluster.local`, where the entry's labels occur
 * in the name but not at its end.
 */
export function nameMissWhy(host: string, apex: string, entry: string, subdomainsOnly: boolean): string {
  const e = '`' + entry + '`';
  const scope = subdomainsOnly ? `names ending in .${apex}` : `${apex} and names ending in .${apex}`;
  const inner = host.indexOf('.' + apex + '.');
  const lead = host.startsWith(apex + '.') ? 0 : inner >= 0 ? inner + 1 : -1;
  if (apex !== '' && lead >= 0) {
    const rest = host.slice(lead + apex.length + 1);
    return `${e} matches only ${scope}; ${host} goes on past "${apex}" and ends in .${rest}`;
  }
  return `${host} is not ${subdomainsOnly ? 'a subdomain of ' + apex : apex + ' or a subdomain of it'}`;
}

/**
 * Match results whose sentence is built only when read: a list of 10,000 entries is tested
 * against each destination, and only the few results that end up in a message need words.
 */
export function hit(why: () => string): EntryMatch {
  return new LazyMatch(true, why);
}

export function miss(why: () => string): EntryMatch {
  return new LazyMatch(false, why);
}

class LazyMatch implements EntryMatch {
  private text: string | undefined;
  constructor(
    readonly matches: boolean,
    private readonly explain: () => string,
  ) {}
  get why(): string {
    this.text ??= this.explain();
    return this.text;
  }
}
