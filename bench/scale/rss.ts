import { readFileSync } from 'node:fs';
import type { Rig } from '../../e2e/rig';
import { pluginPid } from './cpu';

/**
 * The plugin process's resident set (VmRSS, MiB) as the OS reports it: the server's child whose
 * executable lives in the plugin's directory (e2e/rig/processes.ts), read from /proc/<pid>/status.
 */
export async function pluginRssMiB(rig: Rig): Promise<number> {
  const pid = await pluginPid(rig);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) / 1024;
}
