/** yamux (hashicorp/yamux v0.1.2 compatible): one connection multiplexed into many streams. */
export { Session, client, server, type SessionOptions, type YamuxLogger } from './session';
export { Stream } from './stream';
export { ErrorCode, YamuxError, INITIAL_STREAM_WINDOW } from './frame';
