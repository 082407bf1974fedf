import { readFileSync } from 'node:fs';
import type { Rig } from '../../e2e/rig';
import { pluginPid } from './cpu';

/** The plugin process's resident set and its two parts (MiB), as the OS reports them. */
export interface PluginMemory {
  rss: number;
  /** Private memory: V8's heap, malloc's arenas, stacks. */
  anonymous: number;
  /** Pages of the executable (Node's code and data, the SEA blob) and libraries read in: clean, shared with the page cache. */
  fileBacked: number;
}

/**
 * The plugin process's memory from /proc/<pid>/status (VmRSS, RssAnon, RssFile): the server's
 * child whose executable lives in the plugin's directory (e2e/rig/processes.ts).
 */
export async function pluginMemory(rig: Rig): Promise<PluginMemory> {
  const pid = await pluginPid(rig);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (field: string): number => {
    const kib = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status)?.[1];
    if (kib === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(kib) / 1024;
  };
  return { rss: mib('VmRSS'), anonymous: mib('RssAnon'), fileBacked: mib('RssFile') };
}
