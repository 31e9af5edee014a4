// The program: load and validate the stack config once, build the stack, export a flat,
// stable set of outputs (the same names on every target).
import { buildStack } from "./stacks/buildStack";
import { loadStackConfig } from "./stacks/config";

const stack = buildStack(loadStackConfig());

export const cloud = stack.cloud;
export const appUrl = stack.appUrl;
export const appUrls = stack.appUrls;
export const clusterName = stack.clusterName;
export const registryUrl = stack.registryUrl;
export const kubeconfig = stack.kubeconfig;
export const images = stack.images;
