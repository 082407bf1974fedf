/**
 * The API contract shared by the server and the webapp: every view, request body, query, route,
 * constant, label and websocket event, as zod/mini schemas with their inferred types. The server's
 * mappers produce exactly these views; the webapp decodes with the same schemas. Imports nothing
 * but zod (checked by .dependency-cruiser.cjs), so the webapp bundles only this and zod/mini.
 */
export * from './api';
export * from './events';
export * from './guilds';
export * from './incidents';
export * from './pick';
export * from './rfc';
export * from './infra';
export * from './signoff';
export * from './runs';
export * from './alerts';
export * from './webhooks';
export * from './status';
export * from './time_zone';
