import { spawn } from 'node:child_process';

/** What a Node.js script printed and how it exited. */
export interface NodeRun {
  /** Exit code; `null` when the process was killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `script` with this process's Node.js as a child process and collects its output: for
 * end-to-end tests of built binaries (the CLI, the example client, the demo). `env` replaces the
 * environment; keys set to `undefined` are left out.
 */
export function runNode(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<NodeRun> {
  const childEnv = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
