/** The cluster seam: the switch from `cloud` to a platform, and the types every target hands on. */
export { createPlatform, type PlatformInputs } from "./createPlatform";
