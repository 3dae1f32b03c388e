/** An outbound request, fully rendered and signed. */
export interface OutboundRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /**
   * The tokens a provider counts against its tokens-per-minute limit, when the caller knows them
   * better than the body's size does (the texts of a `text_docs` call: the provider counts its
   * input, not the JSON around it). Default: the body's bytes / 4.
   */
  readonly estimatedTokens?: number;
}

/** The provider's answer, read whole. Header names are lower-case. */
export interface OutboundResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A 2xx answer whose body is read as it arrives (streamed predictions). Iterating the body to its
 * end, or leaving the iteration early, releases the connection; `cancel` does so without reading,
 * and closes the connection when the body is not finished, so the provider sees the call end.
 */
export interface StreamingResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
  cancel(): void;
}
