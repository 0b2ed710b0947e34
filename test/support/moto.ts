// moto's server (an AWS emulator written by others, installed by scripts/setup-python.mjs) on a free
// loopback port, for the suite that checks our AWS code against a second endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { pythonToolPaths } from './pythonTools';

export interface RunningMoto {
  /** moto behind a proxy that repairs the answers moto writes unlike AWS (see `repaired`). */
  url: string;
  /**
   * Each subnet's VPC, filled in by the suite as it creates them: the proxy writes a function's
   * `VpcConfig.VpcId` from it, where moto writes a placeholder (see `repaired`).
   */
  vpcOfSubnet: Map<string, string>;
  /** moto itself. */
  rawUrl: string;
  close(): Promise<void>;
}

/** The `VpcId` moto 5.2 writes into every function's VpcConfig that has security groups. */
export const MOTO_PLACEHOLDER_VPC = 'vpc-123abc';

/**
 * moto 5.2 writes a subnet's IPv6 association state as a Python dict (`<state>{'State': 'associated'}</state>`)
 * where AWS writes `<state>associated</state>`, and a placeholder `VpcConfig.VpcId` where AWS writes the VPC
 * of the function's subnets; everything else passes unchanged.
 */
export function repaired(body: string, vpcOfSubnet: ReadonlyMap<string, string> = new Map()): string {
  const states = body.replace(/<state>\{'State': '([a-z-]+)'\}<\/state>/g, '<state>$1</state>');
  if (!states.includes(`"${MOTO_PLACEHOLDER_VPC}"`)) return states;
  return JSON.stringify(JSON.parse(states), (key, value) => {
    if (key !== 'VpcConfig' || value?.VpcId !== MOTO_PLACEHOLDER_VPC) return value;
    const vpc = vpcOfSubnet.get(value.SubnetIds?.[0]);
    return vpc ? { ...value, VpcId: vpc } : value;
  });
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A loopback proxy in front of moto that passes every request on and repairs the answers. */
function startRepairingProxy(target: string, vpcOfSubnet: ReadonlyMap<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer(async (request, response) => {
    try {
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
      const sent = await body(request);
      const answer = await fetch(`${target}${request.url}`, { method: request.method, headers, ...(sent.length ? { body: sent } : {}) });
      const text = repaired(await answer.text(), vpcOfSubnet);
      const passed = [...answer.headers].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name));
      response.writeHead(answer.status, Object.fromEntries(passed));
      response.end(text);
    } catch (error) {
      response.writeHead(502).end(String(error));
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((closed) => server.close(() => closed())) });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}: ${output()}`);
    try {
      // moto's own API: answers once the server is up, without touching any emulated service.
      if ((await fetch(`${url}/moto-api/data.json`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within 30 s: ${output()}`);
}

export async function startMoto(): Promise<RunningMoto> {
  const port = await freePort();
  const child = spawn(pythonToolPaths().motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url, child, () => output);
  } catch (error) {
    child.kill();
    throw error;
  }
  const vpcOfSubnet = new Map<string, string>();
  const proxy = await startRepairingProxy(url, vpcOfSubnet);
  return {
    url: proxy.url,
    vpcOfSubnet,
    rawUrl: url,
    close: async () => {
      await proxy.close();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      });
    },
  };
}
