import { spawn, type SpawnOptions } from 'node:child_process';

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** Runs a program to completion; a non-zero exit throws with the command line and its stderr. */
export async function run(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<ExecResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (err) => reject(new Error(`${command}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolveRun({ stdout, stderr });
      else {
        const why = signal ? `killed by ${signal}` : `exit ${code}`;
        reject(new Error(`${command} ${args.join(' ')} failed (${why}):\n${stderr.trim() || stdout.trim()}`));
      }
    });
  });
}

/** True when a program of that name is on PATH. */
export async function onPath(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v "$1"`, 'sh', command]);
    return true;
  } catch {
    return false;
  }
}
