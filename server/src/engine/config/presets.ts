// Default cluster networking per distribution (research/domain.md §6). A preset fills in what
// the config does not set explicitly; each value here is the distribution's documented default.

export type Distribution =
  | 'eks'
  | 'gke'
  | 'aks-kubenet'
  | 'aks-azure-cni'
  | 'aks-azure-cni-overlay'
  | 'openshift'
  | 'kubeadm'
  | 'k3s'
  | 'rke2'
  | 'kind'
  | 'minikube'
  | 'microk8s'
  | 'custom';

export type Cloud = 'aws' | 'gcp' | 'azure' | 'alibaba' | 'oracle' | 'openstack' | 'none';

export interface DistributionPreset {
  id: Distribution;
  label: string;
  /** Empty where pods take node/VPC addresses (EKS VPC CNI, AKS flat Azure CNI) or the CNI decides. */
  podCIDR: string[];
  serviceCIDR: string[];
  apiServerIP?: string;
  clusterDomain: string;
  cloud?: Cloud;
  note?: string;
}

export const PRESETS: Record<Exclude<Distribution, 'custom'>, DistributionPreset> = {
  kubeadm: {
    id: 'kubeadm',
    label: 'kubeadm',
    podCIDR: [],
    serviceCIDR: ['10.96.0.0/12'],
    apiServerIP: '10.96.0.1',
    clusterDomain: 'cluster.local',
    note: 'kubeadm sets no pod CIDR; set cluster.podCIDR to the CNI range (often 10.244.0.0/16 or 192.168.0.0/16).',
  },
  eks: {
    id: 'eks',
    label: 'Amazon EKS',
    podCIDR: [],
    serviceCIDR: ['10.100.0.0/16'],
    apiServerIP: '10.100.0.1',
    clusterDomain: 'cluster.local',
    cloud: 'aws',
    note: 'Pods use VPC subnet addresses: set cluster.podCIDR to the VPC CIDR. EKS picks 172.20.0.0/16 for services when the VPC uses 10.0.0.0/8.',
  },
  gke: {
    id: 'gke',
    label: 'Google GKE',
    podCIDR: ['10.0.0.0/14'],
    serviceCIDR: ['34.118.224.0/20'],
    apiServerIP: '34.118.224.1',
    clusterDomain: 'cluster.local',
    cloud: 'gcp',
    note: 'GKE ≥ 1.29 uses the Google-managed service range 34.118.224.0/20 (not RFC 1918).',
  },
  'aks-kubenet': {
    id: 'aks-kubenet',
    label: 'Azure AKS (kubenet)',
    podCIDR: ['10.244.0.0/16'],
    serviceCIDR: ['10.0.0.0/16'],
    apiServerIP: '10.0.0.1',
    clusterDomain: 'cluster.local',
    cloud: 'azure',
  },
  'aks-azure-cni': {
    id: 'aks-azure-cni',
    label: 'Azure AKS (Azure CNI)',
    podCIDR: [],
    serviceCIDR: ['10.0.0.0/16'],
    apiServerIP: '10.0.0.1',
    clusterDomain: 'cluster.local',
    cloud: 'azure',
    note: 'Flat Azure CNI gives pods VNet subnet addresses: set cluster.podCIDR to the subnet.',
  },
  'aks-azure-cni-overlay': {
    id: 'aks-azure-cni-overlay',
    label: 'Azure AKS (Azure CNI Overlay / Cilium)',
    podCIDR: ['10.244.0.0/16'],
    serviceCIDR: ['10.0.0.0/16'],
    apiServerIP: '10.0.0.1',
    clusterDomain: 'cluster.local',
    cloud: 'azure',
  },
  openshift: {
    id: 'openshift',
    label: 'Red Hat OpenShift 4',
    podCIDR: ['10.128.0.0/14'],
    serviceCIDR: ['172.30.0.0/16'],
    apiServerIP: '172.30.0.1',
    clusterDomain: 'cluster.local',
  },
  k3s: {
    id: 'k3s',
    label: 'k3s',
    podCIDR: ['10.42.0.0/16'],
    serviceCIDR: ['10.43.0.0/16'],
    apiServerIP: '10.43.0.1',
    clusterDomain: 'cluster.local',
  },
  rke2: {
    id: 'rke2',
    label: 'RKE2',
    podCIDR: ['10.42.0.0/16'],
    serviceCIDR: ['10.43.0.0/16'],
    apiServerIP: '10.43.0.1',
    clusterDomain: 'cluster.local',
  },
  kind: {
    id: 'kind',
    label: 'kind',
    podCIDR: ['10.244.0.0/16'],
    serviceCIDR: ['10.96.0.0/16'],
    apiServerIP: '10.96.0.1',
    clusterDomain: 'cluster.local',
  },
  minikube: {
    id: 'minikube',
    label: 'minikube',
    podCIDR: ['10.244.0.0/16'],
    serviceCIDR: ['10.96.0.0/12'],
    apiServerIP: '10.96.0.1',
    clusterDomain: 'cluster.local',
  },
  microk8s: {
    id: 'microk8s',
    label: 'MicroK8s / Canonical Kubernetes',
    podCIDR: ['10.1.0.0/16'],
    serviceCIDR: ['10.152.183.0/24'],
    apiServerIP: '10.152.183.1',
    clusterDomain: 'cluster.local',
  },
};

export function presetFor(distribution: string | undefined): DistributionPreset | undefined {
  if (!distribution || distribution === 'custom') return undefined;
  return (PRESETS as Record<string, DistributionPreset>)[distribution];
}
