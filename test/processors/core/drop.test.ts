import { describe, expect, it } from 'vitest';
import { configError, create, ingestDocument } from './helpers.js';

describe('drop', () => {
  it('drops the document without an error and without touching it', async () => {
    const document = ingestDocument({ user_info: 'Sensitive information including credit card' });
    expect(await create('drop', {}).execute(document)).toBe('drop');
    expect(document.source()).toEqual({ user_info: 'Sensitive information including credit card' });
  });

  it('has no options of its own', async () => {
    expect(await configError('drop', { field: 'a' })).toMatchObject({
      type: 'parse_exception',
      reason:
        "processor [drop] doesn't support one or more provided configuration parameters [field]",
    });
  });
});
