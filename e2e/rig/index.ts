/** The e2e rig for scenario tests: `connectRig()` and the helpers scenarios need. */
export { connectRig, type Rig } from './rig';
export { PluginState } from './plugins';
export type { RigUser } from './users';
export type { WsEvent, EventStream } from './websocket';
export type { RigState } from './state';
export { corruptedCopy, notABundle, readManifest, repackWithVersion, truncatedCopy } from './bundle';
export { waitFor, sleep } from './net';
export { isAlive, type ProcessInfo } from './processes';
export { startSecondNode, type SecondNode } from './second_node';
export { createUser } from './users';
