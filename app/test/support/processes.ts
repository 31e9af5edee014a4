import { type ChildProcess } from "node:child_process";
import { createServer, connect } from "node:net";

/**
 * Children started by this test process. An `exit` hook sends each one `emergencySignal`, so a
 * crashed or interrupted test run does not leave servers behind. Only these pids are ever signalled.
 */
const owned = new Map<ChildProcess, NodeJS.Signals>();

process.on("exit", () => {
  for (const [child, signal] of owned) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
});

/** Registers a child for the exit hook; it drops out by itself once it has exited. */
export function own(child: ChildProcess, emergencySignal: NodeJS.Signals = "SIGKILL"): void {
  owned.set(child, emergencySignal);
  child.once("exit", () => owned.delete(child));
}

/** Resolves with the exit code (or signal name) once the child has exited. */
export function exited(child: ChildProcess): Promise<number | NodeJS.Signals> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
}

/**
 * Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs` so a hung server
 * cannot hang the test run.
 */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 10000): Promise<number | NodeJS.Signals> {
  if (child.exitCode !== null || child.signalCode !== null) return exited(child);
  const done = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Polls `check` every `intervalMs` until it returns true; rejects with `what` after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Collects a child's output (for assertion messages when something fails). */
export function captureOutput(child: ChildProcess): () => string {
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  return () => text;
}
