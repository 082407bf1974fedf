// The plugin id, from plugin.json (the one source of truth); webpack keeps only this field.
import manifest from '../../plugin.json';

export const PLUGIN_ID: string = manifest.id;
/** Websocket events the server publishes arrive as `custom_<plugin id>_<event>`. */
export const wsEventName = (event: string): string => `custom_${PLUGIN_ID}_${event}`;
/** Where the host mounts this plugin's reducer. */
export const PLUGIN_STATE_KEY = `plugins-${PLUGIN_ID}`;
export const INCIDENT_POST_TYPE = 'custom_infra_incident';
