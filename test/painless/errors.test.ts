import { describe, expect, it } from 'vitest';
import { OpenSearchError } from '../../src/errors/opensearch-error.js';
import { renderError } from '../../src/errors/render-error.js';
import { compileErrorOf, runError } from './helpers.js';

describe('compile errors', () => {
  it('are 400 script_exception with line and column', () => {
    const error = compileErrorOf('def x = 1;\nif (x > 0 {\n}');
    expect(error).toBeInstanceOf(OpenSearchError);
    expect(error.status).toBe(400);
    expect(error.type).toBe('script_exception');
    expect(error.reason).toBe(
      "Painless compile error at line 2, column 11: expected ')' but found '{'",
    );
    expect(error.extra).toEqual({ lang: 'painless', position: { line: 2, column: 11 } });
  });
});

describe('runtime errors', () => {
  it('are 400 script_exception naming what failed, where', () => {
    const error = runError(
      'def a = params.list;\n\n\n\ndef n = a.size() + params.missing.length;',
      { params: { list: [] } },
    );
    expect(error.status).toBe(400);
    expect(error.type).toBe('script_exception');
    expect(error.reason).toBe(
      'Painless runtime error at line 5, column 35: cannot access field [length] of null',
    );
    expect(error.extra['caused_by']).toEqual({
      type: 'null_pointer_exception',
      reason: 'cannot access field [length] of null',
    });
  });

  it('render as an OpenSearch error envelope', () => {
    const { status, body } = renderError(runError('1 / 0'));
    expect(status).toBe(400);
    expect(body.error.root_cause[0]).toMatchObject({ type: 'script_exception', lang: 'painless' });
  });
});

describe('exceptions thrown by the script', () => {
  it('surfaces IllegalArgumentException as illegal_argument_exception with the exact message', () => {
    const error = runError(
      'throw new IllegalArgumentException("Invalid input format: must provide either (question and context) or (inputs)")',
    );
    expect(error.status).toBe(400);
    expect(error.type).toBe('illegal_argument_exception');
    expect(error.reason).toBe(
      'Invalid input format: must provide either (question and context) or (inputs)',
    );
  });

  it.each([
    ['RuntimeException', 'runtime_exception'],
    ['Exception', 'exception'],
    ['IllegalStateException', 'illegal_state_exception'],
  ])('surfaces %s as script_exception with the message', (javaType, causeType) => {
    const error = runError(`throw new ${javaType}('went wrong')`);
    expect(error.status).toBe(400);
    expect(error.type).toBe('script_exception');
    expect(error.reason).toBe('went wrong');
    expect(error.extra['caused_by']).toEqual({ type: causeType, reason: 'went wrong' });
  });

  it('throws an exception held in a variable', () => {
    expect(runError("def e = new IllegalArgumentException('held'); throw e").reason).toBe('held');
  });

  it('refuses to throw a non-exception', () => {
    expect(runError("throw 'text'").reason).toBe(
      'Painless runtime error at line 1, column 1: can only throw an exception, not [String]',
    );
  });
});
