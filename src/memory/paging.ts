import { encodePageToken, type PageRequest } from './memory-input.js';

/** The paging fields of a list answer: both spellings of the next page's start, when there is one. */
export interface Page {
  next_token?: number;
  next_page_token?: string;
}

/**
 * One page of `items` and, when more follow, where the next starts: the legacy integer `next_token`
 * and ML Commons 3.x's opaque `next_page_token` (the same offset; either may be sent back).
 */
export function pageOf<T>(items: readonly T[], page: PageRequest): { items: T[]; next: Page } {
  const end = page.from + page.size;
  const more = end < items.length;
  return { items: items.slice(page.from, end), next: more ? { next_token: end, next_page_token: encodePageToken(end) } : {} };
}
