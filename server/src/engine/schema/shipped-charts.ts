// The annotated chart schemas shipped in `schemas/charts/`: one explicit list, imported as JSON
// so that esbuild inlines them into the server and the CLI (nothing is read from the extension
// folder at run time, and nothing from the network ever). A test checks that every file in
// `schemas/charts/` is listed here.
import bitnamiCommon from '../../../../schemas/charts/bitnami-common.schema.json';
import certManager from '../../../../schemas/charts/cert-manager.schema.json';
import cloudzeroAgent from '../../../../schemas/charts/cloudzero-agent.schema.json';
import datadog from '../../../../schemas/charts/datadog.schema.json';
import falco from '../../../../schemas/charts/falco.schema.json';
import grafana from '../../../../schemas/charts/grafana.schema.json';
import harbor from '../../../../schemas/charts/harbor.schema.json';
import holmes from '../../../../schemas/charts/holmes.schema.json';
import kubePrometheusStack from '../../../../schemas/charts/kube-prometheus-stack.schema.json';
import kubernaut from '../../../../schemas/charts/kubernaut.schema.json';
import robusta from '../../../../schemas/charts/robusta.schema.json';
import stackstateK8sAgent from '../../../../schemas/charts/stackstate-k8s-agent.schema.json';
import suseObservabilityAgent from '../../../../schemas/charts/suse-observability-agent.schema.json';
import trivyOperator from '../../../../schemas/charts/trivy-operator.schema.json';

export interface ShippedChartSchema {
  /** Relative to the repository, as shown in messages and hovers. */
  path: string;
  schema: object;
}

export const SHIPPED_CHART_SCHEMAS: ShippedChartSchema[] = [
  { path: 'schemas/charts/bitnami-common.schema.json', schema: bitnamiCommon },
  { path: 'schemas/charts/cert-manager.schema.json', schema: certManager },
  { path: 'schemas/charts/cloudzero-agent.schema.json', schema: cloudzeroAgent },
  { path: 'schemas/charts/datadog.schema.json', schema: datadog },
  { path: 'schemas/charts/falco.schema.json', schema: falco },
  { path: 'schemas/charts/grafana.schema.json', schema: grafana },
  { path: 'schemas/charts/harbor.schema.json', schema: harbor },
  { path: 'schemas/charts/holmes.schema.json', schema: holmes },
  { path: 'schemas/charts/kube-prometheus-stack.schema.json', schema: kubePrometheusStack },
  { path: 'schemas/charts/kubernaut.schema.json', schema: kubernaut },
  { path: 'schemas/charts/robusta.schema.json', schema: robusta },
  { path: 'schemas/charts/stackstate-k8s-agent.schema.json', schema: stackstateK8sAgent },
  { path: 'schemas/charts/suse-observability-agent.schema.json', schema: suseObservabilityAgent },
  { path: 'schemas/charts/trivy-operator.schema.json', schema: trivyOperator },
];
