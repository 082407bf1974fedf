import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string;
  exe: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses: parse from the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    let exe = '';
    try {
      exe = readlinkSync(`/proc/${pid}/exe`);
    } catch {
      // a zombie or another user's process
    }
    return { pid, ppid, cmdline, exe };
  } catch {
    return undefined; // exited while we looked
  }
}

/**
 * The plugin processes Mattermost started for `pluginId`: direct children of the server whose
 * executable lives in the plugin's directory. Seen from the OS, as an operator would with `ps`.
 */
export function pluginProcesses(serverPid: number, pluginId: string): ProcessInfo[] {
  const marker = `/plugins/${pluginId}/`;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== undefined && p.ppid === serverPid)
    .filter((p) => p.cmdline.includes(marker) || p.exe.includes(marker));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readProcess(pid) !== undefined && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}
