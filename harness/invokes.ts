/**
 * The only invokes the program may make under test, with their fake results. An invoke not
 * listed here fails the test that caused it.
 */
type InvokeResult = (inputs: Record<string, unknown>) => Record<string, unknown>;

/** Fake invoke results by token. */
export const INVOKE_RESULTS: Record<string, InvokeResult> = {};

/** Registers fake results for more invoke tokens (cloud test files add theirs). */
export function addInvokeResults(entries: Record<string, InvokeResult>): void {
    Object.assign(INVOKE_RESULTS, entries);
}
