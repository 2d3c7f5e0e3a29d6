/** Messages between the lab and its checkpoint worker. */
import type { KeyProblems } from '../../model/key-map';

export interface WorkerRequest {
  file: File;
  /** The architecture the reader chose, or '' to detect it from the tensor shapes. */
  arch: string;
}

export type WorkerReply =
  | { kind: 'progress'; stage: 'read' | 'decode'; done: number; total: number }
  | {
      kind: 'done';
      arch: string;
      numClasses: number;
      detected: boolean;
      tensors: { name: string; shape: number[]; data: Float32Array }[];
    }
  | { kind: 'error'; code: string; message: string; problems?: KeyProblems };
