/** The bytes of a Float32Array as they lie in memory (little-endian here), without a copy. */
export function bytesOf(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A Float32Array over its own copy of the bytes (a Buffer's offset need not be 4-aligned). */
export function float32Of(bytes: Buffer): Float32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
