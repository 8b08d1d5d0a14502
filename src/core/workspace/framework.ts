/**
 * What a file is, from its name and its first bytes: the kind a model's extension implies, and
 * the framework that wrote it. Only headers are read (at most 64 KiB) and nothing is decoded
 * beyond them: a pickle is never unpickled, since loading one runs arbitrary code.
 */
import fs from 'node:fs';
import type { ArtifactKind } from '../pointer/kind.js';

const MODEL_EXTENSIONS = ['.pkl', '.joblib', '.pt', '.pth', '.onnx', '.safetensors', '.h5', '.keras', '.gguf'];
const HEAD_BYTES = 64 * 1024;

/** `model` for a file whose extension is a model format, else undefined (no rule of thumb for the rest). */
export function kindByExtension(artifactPath: string): ArtifactKind | undefined {
  const lower = artifactPath.toLowerCase();
  return MODEL_EXTENSIONS.some((e) => lower.endsWith(e)) ? 'model' : undefined;
}

/**
 * The framework that wrote a model file, from its header, or undefined when the header does not
 * say. Unreadable files say nothing: detection is a convenience, never a reason to fail.
 *
 * @example detectFramework('/repo/models/churn.pkl') // 'sklearn'
 */
export function detectFramework(abs: string): string | undefined {
  let head: Buffer;
  try {
    const fd = fs.openSync(abs, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      head = buf.subarray(0, fs.readSync(fd, buf, 0, HEAD_BYTES, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return frameworkOfHeader(head);
}

/** The framework a file's first bytes name (see detectFramework). */
export function frameworkOfHeader(head: Buffer): string | undefined {
  if (head.length < 4) return undefined;
  if (head.subarray(0, 4).toString('latin1') === 'GGUF') return 'gguf';
  // HDF5's signature; Keras is the usual writer of model .h5 files.
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'keras';
  // A zip (torch.save and .keras archives): the member names are in the local headers.
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const text = head.toString('latin1');
    if (/[^/\0]+\/data\.pkl/.test(text)) return 'torch';
    if (text.includes('config.json') && text.includes('model.weights')) return 'keras';
    return undefined;
  }
  // A pickle: protocol 2+ starts with PROTO (0x80) and the protocol number; module names of
  // the classes it builds appear as plain strings.
  if (head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) return pickleFramework(head.toString('latin1'));
  const safetensors = safetensorsHeader(head);
  if (safetensors) return 'safetensors';
  if (looksLikeOnnx(head)) return 'onnx';
  return undefined;
}

/** The first known module a pickle's header names (torch before sklearn: a torch pickle may name numpy, not sklearn). */
function pickleFramework(text: string): string | undefined {
  for (const [name, pattern] of [
    ['xgboost', /\bxgboost\b/],
    ['lightgbm', /\blightgbm\b/],
    ['torch', /\btorch\b/],
    ['sklearn', /\bsklearn\b/],
  ] as const)
    if (pattern.test(text)) return name;
  return undefined;
}

/** Safetensors: 8 bytes little-endian header length, then that much JSON starting with `{`. */
function safetensorsHeader(head: Buffer): boolean {
  if (head.length < 10) return false;
  const n = head.readBigUInt64LE(0);
  if (n < 2n || n > 100_000_000n || head[8] !== 0x7b) return false;
  // The JSON names tensors by dtype/shape/data_offsets; checking one key avoids false positives.
  return head.subarray(8, 8 + Math.min(Number(n), head.length - 8)).includes('data_offsets');
}

/**
 * ONNX: a protobuf ModelProto. Field 1 (ir_version, a varint: tag 0x08) comes first, then
 * producer_name (field 2, tag 0x12), which the exporters fill with a name holding 'onnx'
 * (skl2onnx, tf2onnx, onnxmltools) or 'pytorch'.
 */
function looksLikeOnnx(head: Buffer): boolean {
  if (head[0] !== 0x08) return false;
  const text = head.subarray(0, 4096).toString('latin1');
  return text.includes('\x12') && /onnx|pytorch/i.test(text);
}
