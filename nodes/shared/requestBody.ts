/**
 * The request bodies the package builds for one call (multipartBody, jsonBody), and the freeing
 * of their memory, and of an image's chunks, once they are done with. A body lives as long as its
 * call (the vendor's time), long enough to leave V8's young generation, so a dead 2 MB body waits
 * for a full collection, which V8 starts late for memory held outside its heap; a chunk's wrapper
 * is too small to bring a scavenge. In the benchmark, 60 to 100 MB of both waited at Concurrency
 * 5, and n8n's RSS grew with the number of items.
 */
const builtBodies = new WeakSet<Buffer>();

/** A body of `size` bytes in memory of its own (never a slice of Node's shared Buffer pool). */
export function newRequestBody(size: number): Buffer {
	const body = Buffer.allocUnsafeSlow(size);
	builtBodies.add(body);
	return body;
}

/**
 * Frees a body from newRequestBody after the vendor answered it with 2xx. The vendor read the
 * whole body to answer, so no socket write still reads its memory; nothing sends it again. Its
 * ArrayBuffer is detached (ES2024 `transfer`, Node 21 and later), which gives the memory back at
 * once; on an older Node it waits for the garbage collector. Any other value is left alone.
 */
export function freeAnsweredBody(body: unknown): void {
	if (Buffer.isBuffer(body) && builtBodies.delete(body)) freeMemory(body);
}

/**
 * Gives the memory of a Buffer that nothing reads any more back at once (it becomes empty), if
 * the Buffer spans all of its ArrayBuffer: a slice of a shared pool is left to the collector.
 */
export function freeMemory(buffer: Buffer): void {
	if (buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength) return;
	const memory = buffer.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
	memory.transfer?.(0);
}
