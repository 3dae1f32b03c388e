const TOPICS = ['search', 'vectors', 'ingest', 'pipelines', 'models', 'clusters', 'shards', 'relevance', 'latency', 'throughput'];

/** Deterministic documents of 25–40 words, the same for the sidecar and the peer. */
export function benchTexts(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const topic = TOPICS[index % TOPICS.length]!;
    const words = 25 + (index % 16);
    return Array.from({ length: words }, (_, word) => (word % 7 === 0 ? topic : `w${(index * 31 + word * 17) % 997}`)).join(' ') + ` doc ${index}`;
  });
}
