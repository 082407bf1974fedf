/**
 * Turning what Mattermost's RPC glue sends back into AppError.
 *
 * Errors arrive in three shapes: a typed `*model.AppError` field (most API methods), a Go `error`
 * interface field holding `*model.AppError` or `*plugin.ErrorString` (methods declared to return
 * `error`), or a net/rpc error string (the call itself failed, e.g. a method this server lacks).
 */
import { InterfaceValue } from '../../runtime/gob/types';
import { RpcConnectionError, RpcServerError } from '../../runtime/rpc/types';
import { AppError } from './app_error';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

/** A decoded model.AppError struct (or nothing) → AppError (or null). */
export function appErrorFrom(value: unknown): AppError | null {
  if (value instanceof InterfaceValue) return errorFrom(value);
  if (!isRecord(value)) return null;
  return new AppError(
    str(value['Id']),
    str(value['Message']),
    str(value['DetailedError']),
    num(value['StatusCode']) || 500,
    str(value['Where']),
  );
}

/** A decoded Go `error` interface value (AppError, plugin.ErrorString, pq.Error, …) → AppError. */
export function errorFrom(value: unknown): AppError | null {
  if (value === null || value === undefined) return null;
  const inner = value instanceof InterfaceValue ? value.value : value;
  if (!isRecord(inner)) return new AppError('plugin.api.error', String(inner), '', 500);
  if ('Id' in inner && 'Message' in inner) return appErrorFrom(inner);
  // plugin.ErrorString{Code, Err}; pq.Error has Message; anything else: best effort text.
  const text = str(inner['Err']) || str(inner['Message']) || JSON.stringify(inner);
  return new AppError('plugin.api.error', text, '', 500);
}

const MISSING_METHOD = /^rpc: can't find method \S+$/;

/** A rejected RPC call → AppError: "not supported" for methods the server lacks. */
export function rpcFailure(method: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof RpcServerError) {
    if (MISSING_METHOD.test(err.message)) return AppError.notSupported(method);
    return new AppError('plugin.api.rpc_error', err.message, '', 500, method);
  }
  if (err instanceof RpcConnectionError) {
    return new AppError('plugin.api.connection_error', `${method}: ${err.message}`, '', 503, method);
  }
  const text = err instanceof Error ? err.message : String(err);
  return new AppError('plugin.api.encode_error', `${method}: ${text}`, '', 500, method);
}
