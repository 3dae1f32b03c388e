import { describe, expect, it } from 'vitest';
import { parseUsersArguments, UsageError } from '../../src/cli/users-arguments.js';

describe('parseUsersArguments', () => {
  it.each<[string[], object]>([
    [
      ['add', 'alice'],
      {
        action: 'add',
        name: 'alice',
        backendRoles: undefined,
        admin: undefined,
        apiKey: false,
        file: undefined,
      },
    ],
    [
      [
        'add',
        'alice',
        '--backend-role',
        'a',
        '--backend-role=b',
        '--admin',
        '--api-key',
        '--file=/x.json',
      ],
      {
        action: 'add',
        name: 'alice',
        backendRoles: ['a', 'b'],
        admin: true,
        apiKey: true,
        file: '/x.json',
      },
    ],
    [['add', '--no-admin', 'bob'], { action: 'add', name: 'bob', admin: false }],
    [
      ['remove', 'alice', '--file', '/y.json'],
      { action: 'remove', name: 'alice', file: '/y.json' },
    ],
    [['list'], { action: 'list', file: undefined }],
    [['--help'], { action: 'help' }],
    [[], { action: 'help' }],
  ])('should read %j', (argv, expected) => {
    expect(parseUsersArguments(argv)).toMatchObject(expected);
  });

  it.each<[string[], RegExp]>([
    [['add'], /add needs a user name/],
    [['remove'], /remove needs a user name/],
    [['list', 'extra-secret'], /1 argument\(s\) too many; secrets are read from stdin/],
    [['add', 'alice', '--file'], /--file needs a value/],
    [['add', 'alice', '--backend-role='], /--backend-role needs a value/],
    [['add', 'alice', '--password=extra-secret'], /unknown option \[--password\]/],
    [['drop', 'alice'], /unknown command/],
  ])('should refuse %j without quoting what it did not understand', (argv, message) => {
    let caught: unknown;
    try {
      parseUsersArguments(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain('extra-secret');
  });
});
