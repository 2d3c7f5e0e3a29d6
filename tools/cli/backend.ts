/** tfjs backends for Node: wasm (default) and the plain-JS cpu backend. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { CliError } from './args.js';

export const NODE_BACKENDS = ['wasm', 'cpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

// Keeps tfjs from printing its "install tfjs-node" banner on the cpu backend.
tf.env().set('PROD', true);

export function parseBackend(name: string | undefined): NodeBackend {
  const b = name ?? 'wasm';
  if (!(NODE_BACKENDS as readonly string[]).includes(b)) throw new CliError(`--backend must be one of ${NODE_BACKENDS.join(', ')} (got '${b}')`);
  return b as NodeBackend;
}

export async function useBackend(name: NodeBackend): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`the ${name} backend could not be initialised`);
}
