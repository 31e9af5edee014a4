// Smoke program for platform/smoke.sh: the real engine + Kubernetes provider against the
// throwaway control plane. Each resource is one the provider awaits: a Deployment must become
// Available, a Service must get endpoints, a StatefulSet with a volume claim must become ready.
"use strict";
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");

const config = new pulumi.Config();
const provider = new k8s.Provider("controlplane", { kubeconfig: config.requireSecret("kubeconfig") });
const opts = { provider };
const labels = { app: "smoke" };
// kwok never pulls images, so the reference only has to be well-formed.
const container = { name: "web", image: "smoke/web:1", ports: [{ containerPort: 8080 }] };

const deployment = new k8s.apps.v1.Deployment("web", {
  spec: {
    replicas: 2,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [container] } },
  },
}, opts);

const service = new k8s.core.v1.Service("web", {
  spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
}, { ...opts, dependsOn: [deployment] });

const dbLabels = { app: "smoke-db" };
const headless = new k8s.core.v1.Service("db", {
  spec: { clusterIP: "None", selector: dbLabels, ports: [{ port: 5432 }] },
}, opts);

const statefulSet = new k8s.apps.v1.StatefulSet("db", {
  spec: {
    serviceName: headless.metadata.name,
    replicas: 1,
    selector: { matchLabels: dbLabels },
    template: {
      metadata: { labels: dbLabels },
      spec: {
        containers: [{
          name: "db", image: "smoke/db:1", ports: [{ containerPort: 5432 }],
          volumeMounts: [{ name: "data", mountPath: "/data" }],
        }],
      },
    },
    volumeClaimTemplates: [{
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    }],
  },
}, opts);

exports.deploymentReady = deployment.status.availableReplicas;
exports.serviceIP = service.spec.clusterIP;
exports.statefulSetReady = statefulSet.status.readyReplicas;
