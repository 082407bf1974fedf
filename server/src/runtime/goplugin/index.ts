/**
 * HashiCorp go-plugin (netrpc protocol), plugin side: handshake, control/dispenser services,
 * MuxBroker and hclog-style logging. Application values (handshake, plugins) come from the caller.
 * For a fast start, import `./handshake` alone first, print the line, then load this module.
 */
export { listenAndHandshake, CORE_PROTOCOL_VERSION, NOT_A_PROGRAM_MESSAGE, type HandshakeConfig, type HandshakeEnvironment, type Listening } from './handshake';
export { hclogLogger, goTimestamp, type Logger, type LogLevel, type LogFields, type HclogOptions } from './log';
export { MuxBroker, BrokerError, BROKER_TIMEOUT_MS } from './broker';
export { serve, serveListening, type PluginFactory, type ServeOptions, type ServedPlugin } from './server';
