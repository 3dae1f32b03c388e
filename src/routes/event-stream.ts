/**
 * A `text/event-stream` response that produces its frames only as the client reads them (the
 * provider is read no faster than the client reads), and stops them when the client goes away.
 */

/** Streams `frames`; `onCancel` runs when the client disconnects before the last frame. */
export function eventStreamResponse(frames: AsyncGenerator<string>, onCancel: () => void): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await frames.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel() {
        // First end the provider call, which may be what the pending frame waits for.
        onCancel();
        void frames.return(undefined).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
}
