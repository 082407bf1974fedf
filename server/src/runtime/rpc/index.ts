/**
 * Go's net/rpc over gob, both ends. On each stream each direction is one gob stream; a request is
 * the header Request{ServiceMethod, Seq} followed by the args value, a response is
 * Response{ServiceMethod, Seq, Error} followed by the reply (an empty struct when Error is set).
 * Seq counts from 0 per client; replies may arrive in any order.
 */
export * from './types';
export { RpcClient } from './client';
export { serveRpc, type RpcServing } from './server';
export { RPC_MAX_MESSAGE, emptyStruct, requestHeader, responseHeader, type RpcOptions } from './codec';
