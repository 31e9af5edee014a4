// The coverage matrix, one scanner per file.
export { CHECKOV_AWS } from "./checkovAws";
export { CHECKOV_AZURE } from "./checkovAzure";
export { CHECKOV_KUBERNETES } from "./checkovKubernetes";
export { KUBE_LINTER } from "./kubeLinter";
export * from "./matrix";
export { POD_SECURITY } from "./podSecurity";
