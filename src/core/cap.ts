/** maxResponseBytes: no response body is read past the cap, whatever the server sends or says. */

export const tooLargeMessage = (cap: number) =>
  `the response body is over maxResponseBytes (${cap} bytes), so the connection was closed; raise maxResponseBytes on the call or the client (Infinity: no limit)`;

/** Thrown into the body stream at the cap; the call reports it as kind `too-large`. */
export class TooLarge extends Error {}

/**
 * `response` with a body that errors (and cancels the connection) once more than `cap` decoded
 * bytes have arrived. A body whose declared length is over the cap is refused before any of it is
 * read; one whose length is declared, within the cap and not content-encoded is passed through as
 * it is (the common case costs nothing). Compressed bodies are counted as fetch decodes them.
 */
export function capResponse(response: Response, cap: number): Response {
  if (cap === Infinity || response.body === null) return response;
  const declared = response.headers.get("content-length");
  const encoded = response.headers.has("content-encoding");
  if (declared !== null && !encoded) {
    if (Number(declared) <= cap) return response;
    void response.body.cancel().catch(() => {});
    throw new TooLarge(tooLargeMessage(cap));
  }
  let seen = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > cap) controller.error(new TooLarge(tooLargeMessage(cap)));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}
