/**
 * Choosing and keeping a TensorFlow.js backend in the browser: WebGL first, then WebAssembly,
 * then plain JavaScript, with the reason for every fallback kept so the page can say it.
 * The wasm binaries are bundled by Vite from node_modules: nothing is fetched from a CDN.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function isBackendName(v: unknown): v is BackendName {
  return typeof v === 'string' && (BACKENDS as readonly string[]).includes(v);
}

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// A software WebGL (SwiftShader, some VMs) is still far faster than wasm for this work; without
// this flag tfjs refuses it through failIfMajorPerformanceCaveat.
tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
// Shapes as uniforms: one compiled shader serves every layer size, so far fewer compiles.
tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);

export interface BackendChoice {
  name: BackendName;
  /** Set when "automatic" passed over WebGL because it is drawn by the CPU: the renderer's name. */
  softwareRenderer?: string;
  /** Why the preferred backends were not used, in order; empty when the first choice worked. */
  fallbacks: { backend: BackendName; reason: string }[];
}

/**
 * Starts the first backend that works, beginning with `preferred` (or WebGL). A backend that
 * was forced (?backend=...) and fails still falls back, and the reason is reported.
 */
export async function startBackend(preferred: BackendName | null, exclude: BackendName[] = []): Promise<BackendChoice> {
  // "Automatic" on a software WebGL (SwiftShader, llvmpipe) starts with WebAssembly: there the
  // shaders compile on the CPU and wasm is ready several times sooner. ?backend=webgl still forces it.
  const software = preferred ? null : softwareRenderer();
  const first = preferred ?? (software ? 'wasm' : null);
  const order = first ? [first, ...BACKENDS.filter((b) => b !== first)] : [...BACKENDS];
  const fallbacks: BackendChoice['fallbacks'] = [];
  for (const name of order) {
    if (exclude.includes(name)) continue;
    try {
      const ok = await tf.setBackend(name);
      await tf.ready();
      if (!ok || tf.getBackend() !== name) throw new Error('the backend did not initialise');
      if (name === 'webgl') checkWebgl();
      return { name, fallbacks, ...(software && name !== 'webgl' ? { softwareRenderer: software } : {}) };
    } catch (err) {
      fallbacks.push({ backend: name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
}

/** WebGL's rendering context, when the WebGL backend is active. */
export function webglContext(): WebGL2RenderingContext | WebGLRenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } };
  return backend.gpgpu?.gl ?? null;
}

/** True when WebGL is drawn by the CPU (SwiftShader, llvmpipe): then wasm is usually faster. */
export function softwareWebgl(): boolean {
  const gl = webglContext();
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return /swiftshader|llvmpipe|software/i.test(renderer);
}

/** The renderer's name when a probe WebGL context is software-rendered, else null (no DOM: null). */
export function softwareRenderer(): string | null {
  if (typeof document === 'undefined') return null;
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(renderer) ? renderer : null;
}

function checkWebgl(): void {
  const gl = webglContext();
  if (!gl) throw new Error('WebGL is not available in this browser');
  if (gl.isContextLost()) throw new Error('the WebGL context is lost');
}

/** Calls `onLost` once if the active WebGL context is lost (driver reset, tab in background, tests). */
export function watchContextLoss(onLost: () => void): () => void {
  const gl = webglContext();
  const canvas = gl?.canvas as (HTMLCanvasElement | OffscreenCanvas) | undefined;
  if (!canvas) return () => {};
  const handler = () => onLost();
  canvas.addEventListener('webglcontextlost', handler, { once: true });
  return () => canvas.removeEventListener('webglcontextlost', handler);
}

/** Drops a backend whose context died, so a later start does not reuse it. */
export function dropBackend(name: BackendName): void {
  try {
    tf.removeBackend(name);
  } catch {
    // Already gone: nothing to drop.
  }
}

export { tf };
