import { readFileSync } from 'node:fs';
import type { Rig } from '../../e2e/rig';

/**
 * The plugin process's resident set (VmRSS, MiB) as the OS reports it: the server's child whose
 * executable lives in the plugin's directory (e2e/rig/processes.ts), read from /proc/<pid>/status.
 */
export async function pluginRssMiB(rig: Rig): Promise<number> {
  const processes = await rig.pluginProcesses();
  if (processes.length !== 1) throw new Error(`expected one plugin process, found ${processes.length}`);
  const status = readFileSync(`/proc/${processes[0]!.pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${processes[0]!.pid}/status`);
  return Number(kib) / 1024;
}
