// Loaded by path, by the worker and inside the workflow sandbox (DataConverter.failureConverterPath):
// failure messages and stack traces go through the payload codec instead of sitting in history in
// plain text. Plain CommonJS so that every loader (tsx, vitest, webpack) can require it.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
