import { describe, expect, it } from 'vitest';
import { configError, runError } from './helpers.js';

describe('fail', () => {
  it.each([
    {
      name: 'the docs example fails with its message',
      message: 'Document containing personally identifiable information (PII) cannot be indexed!',
      input: { user_info: 'Sensitive information including credit card' },
      reason: 'Document containing personally identifiable information (PII) cannot be indexed!',
    },
    {
      name: 'a templated message',
      message: 'bad user {{{user.name}}} ({{code}})',
      input: { user: { name: 'ada' }, code: 7 },
      reason: 'bad user ada (7)',
    },
    {
      name: 'a missing field renders empty',
      message: 'missing [{{nothing}}]',
      input: {},
      reason: 'missing []',
    },
  ])('$name', async ({ message, input, reason }) => {
    expect(await runError('fail', { message }, input)).toMatchObject({
      status: 500,
      type: 'fail_processor_exception',
      reason,
    });
  });

  it.each([
    { options: {}, reason: '[message] required property is missing' },
    {
      options: { message: 1 },
      reason: "[message] property isn't a string, but of type [java.lang.Integer]",
    },
  ])('refuses $options', async ({ options, reason }) => {
    expect(await configError('fail', options)).toMatchObject({
      type: 'parse_exception',
      reason,
      extra: { processor_type: 'fail' },
    });
  });

  it('refuses a message template that does not parse', async () => {
    expect(await configError('fail', { message: '{{#a}}' })).toMatchObject({
      type: 'script_exception',
      extra: { property_name: 'message' },
    });
  });
});
