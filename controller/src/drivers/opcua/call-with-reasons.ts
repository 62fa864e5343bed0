import {
  CallRequest,
  CallResponse,
  StatusCodes,
  type CallMethodRequestOptions,
  type ClientSession,
  type DiagnosticInfo,
  type StatusCode,
} from 'node-opcua';

/** returnDiagnostics bit for operation-level AdditionalInfo (OPC 10000-4, RequestHeader). */
export const OPERATION_ADDITIONAL_INFO = 0x80;
/** returnDiagnostics bit for operation-level LocalizedText, which servers that fill a string table use instead. */
export const OPERATION_LOCALIZED_TEXT = 0x40;

export interface MethodOutcome {
  statusCode: StatusCode;
  /** The server's reason for a non-Good status, when it gave one (operation-level diagnostics). */
  statusText: string | null;
}

/** The part of node-opcua's session that sends a request as built; ClientSession's typings leave it out. */
interface RawTransactions {
  performMessageTransaction(request: CallRequest, callback: (error: Error | null, response?: unknown) => void): void;
}

/**
 * Calls one method asking, in the request header, for operation-level diagnostics, and returns its status with the
 * server's reason. node-opcua 2.182's `session.call` sends returnDiagnostics 0 and has no way to ask, so the request
 * is built here and sent through the session (which still adds its authentication token).
 * The reason is looked for where servers put it: the call's operation-level DiagnosticInfo in the response
 * (AdditionalInfo, or LocalizedText resolved through the response header's string table), or, as our simulator on
 * 2.182 does, the result's DiagnosticInfo.
 */
export async function callWithReasons(session: ClientSession, call: CallMethodRequestOptions): Promise<MethodOutcome> {
  const request = new CallRequest({
    requestHeader: { returnDiagnostics: OPERATION_ADDITIONAL_INFO | OPERATION_LOCALIZED_TEXT },
    methodsToCall: [call],
  });
  const raw = session as unknown as RawTransactions;
  const response = await new Promise<unknown>((resolve, reject) =>
    raw.performMessageTransaction(request, (error, answer) => (error ? reject(error) : resolve(answer))),
  );
  if (!(response instanceof CallResponse)) throw new Error('the server answered a call with something else');
  const result = response.results?.[0];
  if (!result) return { statusCode: StatusCodes.BadUnexpectedError, statusText: 'the server returned no result' };
  const stringTable = response.responseHeader.stringTable ?? [];
  const candidates = [response.diagnosticInfos?.[0], ...(result.inputArgumentDiagnosticInfos ?? [])];
  const statusText = candidates.map((d) => reasonOf(d, stringTable)).find((text) => text !== null) ?? null;
  return { statusCode: result.statusCode, statusText };
}

function reasonOf(
  diagnostic: DiagnosticInfo | null | undefined,
  stringTable: readonly (string | null)[],
): string | null {
  if (!diagnostic) return null;
  if (diagnostic.additionalInfo) return diagnostic.additionalInfo;
  const index = diagnostic.localizedText;
  if (typeof index === 'number' && index >= 0) return stringTable[index] ?? null;
  return null;
}
