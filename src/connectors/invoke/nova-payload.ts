const NOVA_2_MULTIMODAL = 'amazon.nova-2-multimodal-embeddings-v1:0';
const SECTIONS = ['text', 'image', 'video', 'audio'] as const;

/**
 * Nova 2 multimodal embeddings reject a request whose unused input sections are present with null
 * values; the blueprint's single template renders all four. ML Commons strips the null sections
 * for this model, and so do we.
 */
export function stripNullNovaSections(payload: string, model: string | null | undefined): string {
  if (model !== NOVA_2_MULTIMODAL) return payload;
  let parsed: { singleEmbeddingParams?: Record<string, unknown> };
  try {
    parsed = JSON.parse(payload) as typeof parsed;
  } catch {
    return payload;
  }
  const params = parsed.singleEmbeddingParams;
  if (typeof params !== 'object' || params === null) return payload;
  let changed = false;
  for (const section of SECTIONS) {
    if (Object.hasOwn(params, section) && isNullSection(params[section])) {
      delete params[section];
      changed = true;
    }
  }
  return changed ? JSON.stringify(parsed) : payload;
}

function isNullSection(section: unknown): boolean {
  if (section === null) return true;
  if (typeof section !== 'object') return false;
  const { value, source } = section as { value?: unknown; source?: unknown };
  if (value === null) return true;
  if (source === null) return true;
  return typeof source === 'object' && source !== null && (source as { bytes?: unknown }).bytes === null;
}
