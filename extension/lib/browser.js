/**
 * The extension API namespace. Firefox offers `browser` (promises) and `chrome`; Chrome only `chrome`
 * (promises in MV3). Everything here uses promise-returning calls, so either namespace works.
 */
export function extensionApi() {
  return globalThis.browser?.runtime ? globalThis.browser : globalThis.chrome;
}
