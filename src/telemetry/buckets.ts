/** Histogram buckets shared by the latency metrics, in seconds: 1 ms (a cache hit) to 60 s (a slow LLM answer). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Buckets for how long calls waited for pacing, in seconds: pacing waits are long by design. */
export const WAIT_BUCKETS = [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Buckets for texts per coalesced provider call (OpenAI takes up to 2048). */
export const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
