/** spacetimedb-http/node: Node-only helpers for streaming module bytes from disk or a Node stream. */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";

/** A module file as a byte stream, read as it is sent (never whole in memory). */
export function fromFile(path: string): ReadableStream<Uint8Array> {
  return fromReadable(createReadStream(path));
}

/** A Node `Readable` as a web `ReadableStream` of bytes. */
export function fromReadable(readable: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(readable) as ReadableStream<Uint8Array>;
}
