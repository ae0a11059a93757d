// `--format verify`: a POSIX sh script that checks, from inside a pod, that every allowlisted
// host is reachable: Robusta's verification loop (vendor/robusta-proxies-firewall-airgap.txt:
// `curl -sS -o /dev/null -w "%{http_code}" https://$host/`; "a non-zero HTTP code (including
// 401/404) confirms TCP + TLS reach the host") generalised to every host, port and image.
//
//   kubectl exec -i -n NAMESPACE deploy/NAME -- sh -s < verify.sh
//
// - Uses what a slim image has, found once: curl, else wget (GNU or BusyBox), else nc (TCP only,
//   said on each line). curl and wget honour HTTPS_PROXY/https_proxy, so a proxied pod is
//   checked through its proxy. Any HTTP answer counts as reachable (curl without --fail exits 0
//   on 4xx/5xx; GNU wget exits 6 on 401 and 8 on other error statuses; BusyBox wget says
//   "server returned error"); curl's "empty reply" (52) is OK too, marked: the connection (and
//   TLS) went through. Failures are named from the tool's exit status or message, never
//   by printing the tool's output (which could echo a proxy URL with credentials).
// - One line per host:port: `OK host:port (feature)`, `FAIL host:port (feature): reason`,
//   `SKIP …: reason` (a wildcard without known hosts, a CIDR, UDP, a feature off in these
//   values unless AIRGAP_VERIFY_OPTIONAL=1), then a summary; exit status 1 when any check fails,
//   2 when no tool is found. Each wildcard is checked through its expanded hosts.
// - Port 80 is checked with http://, every other TCP port with https:// (TCP connect + TLS
//   handshake). AIRGAP_VERIFY_INSECURE=1 skips certificate verification (a TLS-inspecting proxy,
//   or tests), AIRGAP_VERIFY_TOOL forces curl|wget|nc, AIRGAP_VERIFY_TIMEOUT sets seconds per host.
// - Safety: every host is a parsed name/address (no shell syntax can be in it) and still single
//   quoted; features and reasons are one line (oneLine()) and single quoted with ' escaped as
//   '\''; output goes through printf '%s', never echo (dash's echo interprets backslashes).
import type { Allowlist, AllowlistFormatOptions } from '../types';
import { enforcement, headerLines, mergeTargets, oneLine, prepare, isOff, type ParsedHost, type Target } from './common';

/** POSIX shell single quoting. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const PRELUDE = String.raw`set -u

timeout=${'$'}{AIRGAP_VERIFY_TIMEOUT:-10}
case "$timeout" in ''|*[!0-9]*) timeout=10 ;; esac
[ "$timeout" -ge 1 ] || timeout=10
connect_timeout=5
[ "$timeout" -lt 5 ] && connect_timeout=$timeout
insecure=${'$'}{AIRGAP_VERIFY_INSECURE:-}
optional=${'$'}{AIRGAP_VERIFY_OPTIONAL:-}
tool=${'$'}{AIRGAP_VERIFY_TOOL:-}
ok=0
failed=0
skipped=0

have() { command -v "$1" >/dev/null 2>&1; }

if [ -z "$tool" ]; then
  if have curl; then tool=curl
  elif have wget; then tool=wget
  elif have nc; then tool=nc
  fi
fi
case "$tool" in
  curl|wget|nc)
    if ! have "$tool"; then
      printf '%s\n' "airgap-lint verify: $tool is not in this image" >&2
      exit 2
    fi ;;
  '')
    printf '%s\n' 'airgap-lint verify: no curl, wget or nc in this image: nothing to check with' >&2
    exit 2 ;;
  *)
    printf '%s\n' 'airgap-lint verify: AIRGAP_VERIFY_TOOL must be curl, wget or nc' >&2
    exit 2 ;;
esac
wget_gnu=
if [ "$tool" = wget ]; then
  case "$(wget --version 2>/dev/null)" in *'GNU Wget'*) wget_gnu=1 ;; esac
fi

report_ok() {
  ok=$((ok + 1))
  printf 'OK %s (%s)%s\n' "$1" "$2" "$3"
}
report_fail() {
  failed=$((failed + 1))
  printf 'FAIL %s (%s): %s\n' "$1" "$2" "$3"
}
skip() {
  skipped=$((skipped + 1))
  printf 'SKIP %s (%s): %s\n' "$1" "$2" "$3"
}

curl_reason() {
  case "$1" in
    5) printf '%s' 'cannot resolve the proxy' ;;
    6) printf '%s' 'cannot resolve the host name (DNS)' ;;
    7) printf '%s' 'connection refused or blocked' ;;
    28) printf '%s' 'timed out (a firewall dropping the traffic?)' ;;
    35) printf '%s' 'TLS handshake failed (a firewall filtering by SNI, or not a TLS port)' ;;
    51|58|59|60|77|83|90|91) printf '%s' 'TLS certificate not trusted (a TLS-inspecting proxy? AIRGAP_VERIFY_INSECURE=1 skips the check)' ;;
    56) printf '%s' 'connection reset, or the proxy refused the tunnel' ;;
    97) printf '%s' 'the proxy refused the connection' ;;
    *) printf '%s' "curl failed (exit status $1)" ;;
  esac
}

wget_reason() {
  case "$2" in
    *[Rr]esolv*|*'bad address'*|*'Name or service not known'*) printf '%s' 'cannot resolve the host name (DNS)' ;;
    *[Rr]efused*) printf '%s' 'connection refused or blocked' ;;
    *'timed out'*|*[Tt]imeout*) printf '%s' 'timed out (a firewall dropping the traffic?)' ;;
    *[Cc]ertificate*) printf '%s' 'TLS certificate not trusted (a TLS-inspecting proxy? AIRGAP_VERIFY_INSECURE=1 skips the check)' ;;
    *SSL*|*TLS*|*[Hh]andshake*) printf '%s' 'TLS handshake failed (a firewall filtering by SNI, or not a TLS port)' ;;
    *[Rr]eset*) printf '%s' 'connection reset' ;;
    *) printf '%s' "wget failed (exit status $1)" ;;
  esac
}

# check DISPLAY HOST PORT SCHEME FEATURE [ONLY-IF]
check() {
  display=$1
  host=$2
  port=$3
  scheme=$4
  label=$5
  only_if=${'$'}{6:-}
  if [ -n "$only_if" ] && [ -z "$optional" ]; then
    skip "$display" "$label" "feature off in these values (only if $only_if); AIRGAP_VERIFY_OPTIONAL=1 checks it"
    return 0
  fi
  case "$host" in
    *:*) url="$scheme://[$host]:$port/" ;;
    *) url="$scheme://$host:$port/" ;;
  esac
  case "$tool" in
    curl)
      if [ -n "$insecure" ]; then
        curl -sS -o /dev/null --connect-timeout "$connect_timeout" -m "$timeout" -k "$url" >/dev/null 2>&1
      else
        curl -sS -o /dev/null --connect-timeout "$connect_timeout" -m "$timeout" "$url" >/dev/null 2>&1
      fi
      rc=$?
      if [ "$rc" -eq 0 ]; then
        report_ok "$display" "$label" ''
      elif [ "$rc" -eq 52 ]; then
        report_ok "$display" "$label" ' [connected, but no HTTP reply]'
      else
        report_fail "$display" "$label" "$(curl_reason "$rc")"
      fi ;;
    wget)
      set -- --spider -T "$timeout"
      if [ -n "$wget_gnu" ]; then set -- "$@" -nv -t 1 --max-redirect=0; else set -- "$@" -q; fi
      if [ -n "$insecure" ]; then set -- "$@" --no-check-certificate; fi
      out=$(wget "$@" "$url" 2>&1)
      rc=$?
      if [ "$rc" -eq 0 ]; then
        report_ok "$display" "$label" ''
      elif [ -n "$wget_gnu" ] && { [ "$rc" -eq 6 ] || [ "$rc" -eq 8 ]; }; then
        report_ok "$display" "$label" ''
      else
        case "$out" in
          *'server returned error'*|*'ERROR 4'*|*'ERROR 5'*) report_ok "$display" "$label" '' ;;
          *) report_fail "$display" "$label" "$(wget_reason "$rc" "$out")" ;;
        esac
      fi ;;
    nc)
      if nc -z -w "$connect_timeout" "$host" "$port" >/dev/null 2>&1; then
        report_ok "$display" "$label" ' [TCP only: nc cannot check TLS]'
      else
        report_fail "$display" "$label" 'TCP connection failed (nc: refused, blocked or not resolved)'
      fi ;;
  esac
  return 0
}
`;

const EPILOGUE = String.raw`
printf 'summary: %s ok, %s failed, %s skipped (checked with %s)\n' "$ok" "$failed" "$skipped" "$tool"
if [ "$failed" -gt 0 ]; then
  exit 1
fi
exit 0
`;

interface Check {
  parsed: ParsedHost;
  port: number;
  protocol: 'tcp' | 'udp';
  features: string[];
  node: boolean;
  onlyIf: string[];
  /** Expanded from a wildcard: the wildcard. */
  from?: string;
}

function label(c: Check): string {
  return oneLine(`${c.features.join('; ')}${c.node ? '; node egress' : ''}${c.from ? `; via ${c.from}` : ''}`, 200);
}

export function formatVerify(list: Allowlist, _options: AllowlistFormatOptions = {}): string {
  const { items } = prepare(list);
  const on = mergeTargets(items.filter((i) => !isOff(i)));
  const e = enforcement(list, false);
  const checks = new Map<string, Check>();
  // checks and wildcard skips, in list order
  const order: Array<Check | string> = [];
  const add = (t: Target, parsed: ParsedHost, off: boolean, from?: string) => {
    const key = `${parsed.host} ${t.port} ${t.protocol}`;
    const c = checks.get(key);
    if (c) {
      for (const f of t.features) if (!c.features.includes(f)) c.features.push(f);
      if (!off) c.onlyIf = [];
      if (t.egress.includes('pod')) c.node = false;
      return;
    }
    const check: Check = { parsed, port: t.port, protocol: t.protocol, features: [...t.features], node: !t.egress.includes('pod'), onlyIf: off ? [...t.onlyIf] : [], from };
    checks.set(key, check);
    order.push(check);
  };
  const expand = (t: Target, off: boolean) => {
    if (t.parsed.kind === 'wildcard') {
      if (t.expands.length === 0) {
        order.push(`skip ${shellQuote(displayOf(t.parsed.host, t.port, t.protocol))} ${shellQuote(describe(t))} 'cannot test a wildcard: no known host under it'`);
      }
      for (const x of t.expands) add(t, { kind: 'name', host: x }, off, t.parsed.host);
    } else add(t, t.parsed, off);
  };
  for (const t of on) expand(t, false);
  for (const t of e.off) expand(t, true);

  const lines: string[] = ['#!/bin/sh', ...headerLines(list, 'Egress check of the allowlist').map((l) => `# ${l}`)];
  lines.push(
    '# Run it in a pod of the release (the image needs curl, wget or nc):',
    '#   kubectl exec -i -n NAMESPACE deploy/NAME -- sh -s < verify.sh',
    '# OK: TCP connected and TLS completed (any HTTP status counts, even 401 or 404).',
    '# Environment: AIRGAP_VERIFY_INSECURE=1 skips certificate checks; AIRGAP_VERIFY_TOOL=curl|wget|nc;',
    '# AIRGAP_VERIFY_TIMEOUT=seconds per host (10); AIRGAP_VERIFY_OPTIONAL=1 also checks features',
    '# that are off in these values. HTTPS_PROXY is honoured by curl and wget.',
    PRELUDE,
  );
  for (const c of order) {
    if (typeof c === 'string') {
      lines.push(c);
      continue;
    }
    const display = shellQuote(displayOf(c.parsed.host, c.port, c.protocol));
    const feature = shellQuote(label(c));
    if (c.protocol === 'udp') {
      lines.push(`skip ${display} ${feature} 'UDP: cannot be checked from a shell'`);
    } else if (c.parsed.kind === 'cidr') {
      lines.push(`skip ${display} ${feature} 'cannot test a network range'`);
    } else {
      const scheme = c.port === 80 ? 'http' : 'https';
      const onlyIf = c.onlyIf.length > 0 ? ` ${shellQuote(oneLine(c.onlyIf.join('; '), 200))}` : '';
      lines.push(`check ${display} ${shellQuote(c.parsed.host)} ${c.port} ${scheme} ${feature}${onlyIf}`);
    }
  }
  lines.push(EPILOGUE);
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}`;
}

/** `host:port` as the script prints it (always with the port; IPv6 in brackets; `/udp`). */
function displayOf(host: string, port: number, protocol: 'tcp' | 'udp'): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}${protocol === 'udp' ? '/udp' : ''}`;
}

function describe(t: Target): string {
  return oneLine(`${t.features.join('; ')}${t.egress.includes('pod') ? '' : '; node egress'}`, 200);
}
