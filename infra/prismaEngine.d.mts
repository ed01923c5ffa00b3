export function loadWasmEngine(): Promise<any>;
export function makeAdapterFactory(url: string, opts?: { pglite?: unknown }): Promise<any>;
