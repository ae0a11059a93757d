// A realistic, very large values file for the large-file tests: an umbrella chart's values with
// thousands of components, each with the blocks real charts have (image, a proxied env list,
// resources, probes, scheduling). Generated at run time; nothing large is committed.

/** One component's values, indented under `components:`; `i` makes every key and host unique. */
function componentBlock(i: number): string {
  const name = `service-${String(i).padStart(5, '0')}`;
  return `  ${name}:
    enabled: true
    replicaCount: ${1 + (i % 3)}
    image:
      registry: quay.io
      repository: example-org/${name}
      tag: "1.${i % 40}.${i % 7}"
      pullPolicy: IfNotPresent
    imagePullSecrets:
      - name: registry-credentials
    env:
      - name: HTTP_PROXY
        value: http://proxy.corp.example.com:3128
      - name: HTTPS_PROXY
        value: http://proxy.corp.example.com:3128
      - name: NO_PROXY
        value: localhost,127.0.0.1,.svc,.cluster.local,10.0.0.0/8,.internal.example.com
      - name: LOG_LEVEL
        value: info
      - name: UPSTREAM_URL
        value: https://api-${i % 97}.partner.example.net/v2
    service:
      type: ClusterIP
      port: ${8000 + (i % 1000)}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9102"
    resources:
      limits:
        cpu: 500m
        memory: 512Mi
      requests:
        cpu: 100m
        memory: 128Mi
    livenessProbe:
      httpGet:
        path: /healthz
        port: http
      initialDelaySeconds: 10
      periodSeconds: 15
    nodeSelector:
      kubernetes.io/os: linux
    tolerations:
      - key: dedicated
        operator: Equal
        value: platform
        effect: NoSchedule
    podAnnotations:
      checksum/config: "${(i * 2654435761) % 4294967296}"
`;
}

/** A values file of at least `minBytes` bytes (ASCII, so bytes = characters). */
export function largeValuesText(minBytes: number): string {
  const parts = ['# Generated: an umbrella chart with many components (airgap-lint large-file test).\n', 'global:\n  imageRegistry: ""\n', 'components:\n'];
  let size = parts.reduce((n, p) => n + p.length, 0);
  for (let i = 0; size < minBytes; i++) {
    const block = componentBlock(i);
    parts.push(block);
    size += block.length;
  }
  return parts.join('');
}
